package io.alicecontainer.junit.assertions;

import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.WritableAssertionInfo;
import org.assertj.core.description.TextDescription;

/**
 * Hands the description ({@code as()}), representation and overriding message of an assertion to
 * the one navigation returns, as AssertJ's package-private {@code withAssertionState} does for
 * {@code cause()}: {@code info} is public, so this works across packages.
 */
final class AssertionState {
    private AssertionState() {
    }

    static <A extends AbstractAssert<?, ?>> A keep(A child, AbstractAssert<?, ?> parent) {
        WritableAssertionInfo from = parent.info;
        WritableAssertionInfo to = child.info;
        to.useRepresentation(from.representation());
        if (from.hasDescription()) to.description(from.description());
        String overriding = from.overridingErrorMessage();
        if (overriding != null) to.overridingErrorMessage(overriding);
        return child;
    }

    /**
     * As {@link #keep}, for AssertJ's own assertions on a bare number or text, whose messages do
     * not say what was measured: the description names it ("my run, cpu pressure some avg10").
     */
    static <A extends AbstractAssert<?, ?>> A keepNaming(A child, AbstractAssert<?, ?> parent, String measure) {
        keep(child, parent);
        String described = parent.info.hasDescription() ? parent.info.descriptionText() : "";
        child.info.description(new TextDescription(described.isEmpty() ? measure : described + ", " + measure));
        return child;
    }
}
