package io.alicecontainer.junit.report;

import java.io.IOException;
import java.nio.file.Path;

import io.alicecontainer.junit.internal.Baseline;
import io.alicecontainer.junit.internal.HtmlReport;

/**
 * The report command; needs nothing but the extension's jar on the class path:
 * <pre>
 * java -cp alice-container-junit.jar io.alicecontainer.junit.report.ReportMain target/alice-reports
 * java -cp alice-container-junit.jar io.alicecontainer.junit.report.ReportMain --baseline target/alice-reports alice-baseline.json
 * </pre>
 * The first writes {@code index.html} into the reports folder; the second writes (or refreshes)
 * the baseline summary that {@code alice.baseline} points the regression gate at.
 */
public final class ReportMain {
    private ReportMain() {
    }

    /**
     * Runs the command.
     *
     * @param args {@code <reports-dir>} or {@code --baseline <reports-dir> <summary.json>}
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        try {
            if (args.length == 1 && !args[0].startsWith("-")) {
                HtmlReport.Written w = HtmlReport.write(Path.of(args[0]));
                w.skipped().forEach(s -> System.err.println("skipped " + s));
                System.out.println("wrote " + w.file() + " (" + w.tests() + " isolated tests)");
                return w.tests() > 0 ? 0 : 1;
            }
            if (args.length == 3 && args[0].equals("--baseline")) {
                int n = Baseline.write(Path.of(args[1]), Path.of(args[2]));
                System.out.println("wrote " + args[2] + " (baseline of " + n + " tests)");
                return 0;
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        System.err.println("usage: ReportMain <reports-dir>                          writes <reports-dir>/index.html");
        System.err.println("       ReportMain --baseline <reports-dir> <summary.json>  writes or refreshes a baseline summary");
        return 2;
    }
}
