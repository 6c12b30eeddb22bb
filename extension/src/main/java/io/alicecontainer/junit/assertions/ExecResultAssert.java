package io.alicecontainer.junit.assertions;

import io.alicecontainer.ExecResult;

/** Assertions on how a command run in a container ended; see {@link AbstractExecResultAssert}. */
public class ExecResultAssert extends AbstractExecResultAssert<ExecResultAssert> {

    public ExecResultAssert(ExecResult actual) {
        super(actual, ExecResultAssert.class);
    }
}
