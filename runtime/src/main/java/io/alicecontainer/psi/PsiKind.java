package io.alicecontainer.psi;

import java.util.Locale;

/**
 * Which stall a trigger measures (psi.rst): {@link #SOME} is time in which at least one task of
 * the group was stalled on the resource, {@link #FULL} time in which all non-idle tasks were
 * stalled at once.
 */
public enum PsiKind {
    SOME, FULL;

    /** {@code some} or {@code full}, as written in a trigger. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
