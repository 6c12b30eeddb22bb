package io.alicecontainer.psi;

import java.time.Instant;

/**
 * What a {@link PsiScheduler} decided, and why: the quota (µs of CPU per period) before and after.
 */
public sealed interface QuotaDecision permits QuotaDecision.Raised, QuotaDecision.Lowered, QuotaDecision.Unchanged {
    long oldQuotaUs();

    long newQuotaUs();

    /** In words, e.g. "cpu pressure event (some 100 ms per 2 s)" or "no pressure event for 4 s". */
    String reason();

    Instant at();

    /** A pressure event raised the quota by a step (or up to the maximum). */
    record Raised(long oldQuotaUs, long newQuotaUs, String reason, Instant at) implements QuotaDecision {
    }

    /** No pressure event came for the calm period: the quota went down by a step (or to the minimum). */
    record Lowered(long oldQuotaUs, long newQuotaUs, String reason, Instant at) implements QuotaDecision {
    }

    /** A pressure event came while the quota was at its maximum already. */
    record Unchanged(long oldQuotaUs, long newQuotaUs, String reason, Instant at) implements QuotaDecision {
    }
}
