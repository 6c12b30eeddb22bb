/**
 * The end-of-run HTML report and the baseline command. {@link io.alicecontainer.junit.report.ReportListener}
 * writes {@code target/alice-reports/index.html} when a test run ends (registered as a JUnit
 * Platform {@code TestExecutionListener}, so it runs under Surefire, the ConsoleLauncher and IDEs);
 * {@link io.alicecontainer.junit.report.ReportMain} writes it, or a baseline summary, for an
 * existing reports folder.
 */
package io.alicecontainer.junit.report;
