// SPDX-License-Identifier: AGPL-3.0-or-later
import java.io.File;
import java.io.PrintWriter;
import java.lang.reflect.Array;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * The JUnit Platform Launcher API from a class loader of the caller's, as IDEs and build tools
 * use it: the tests, the extension and JUnit are on no java.class.path, only in a URLClassLoader
 * below the platform loader (the context class loader while the Launcher runs, as it finds its
 * engines through it), and the test class is selected as a Class object. Run with the source launcher:
 * {@code java CustomLoaderLaunch.java <class path> <test class>}. Exits 0 when all tests passed.
 */
public class CustomLoaderLaunch {
    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String e : args[0].split(File.pathSeparator)) if (!e.isEmpty()) urls.add(new File(e).toURI().toURL());
        ClassLoader l = new URLClassLoader("custom-tests", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(l);
        Class<?> selectors = l.loadClass("org.junit.platform.engine.discovery.DiscoverySelectors");
        Object selector = selectors.getMethod("selectClass", Class.class).invoke(null, l.loadClass(args[1]));
        Object selectorArray = Array.newInstance(l.loadClass("org.junit.platform.engine.DiscoverySelector"), 1);
        Array.set(selectorArray, 0, selector);
        Class<?> builder = l.loadClass("org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder");
        Object b = builder.getMethod("request").invoke(null);
        b = builder.getMethod("selectors", selectorArray.getClass()).invoke(b, selectorArray);
        Object request = builder.getMethod("build").invoke(b);
        Object listener = l.loadClass("org.junit.platform.launcher.listeners.SummaryGeneratingListener").getConstructor().newInstance();
        Object listeners = Array.newInstance(l.loadClass("org.junit.platform.launcher.TestExecutionListener"), 1);
        Array.set(listeners, 0, listener);
        Class<?> launcherType = l.loadClass("org.junit.platform.launcher.Launcher");
        Object launcher = l.loadClass("org.junit.platform.launcher.core.LauncherFactory").getMethod("create").invoke(null);
        launcherType.getMethod("execute", l.loadClass("org.junit.platform.launcher.LauncherDiscoveryRequest"), listeners.getClass())
                .invoke(launcher, request, listeners);
        Class<?> summaryType = l.loadClass("org.junit.platform.launcher.listeners.TestExecutionSummary");
        Object summary = listener.getClass().getMethod("getSummary").invoke(listener);
        PrintWriter out = new PrintWriter(System.out, true);
        summaryType.getMethod("printTo", PrintWriter.class).invoke(summary, out);
        summaryType.getMethod("printFailuresTo", PrintWriter.class, int.class).invoke(summary, out, 20);
        long found = (long) summaryType.getMethod("getTestsFoundCount").invoke(summary);
        long passed = (long) summaryType.getMethod("getTestsSucceededCount").invoke(summary);
        System.exit(found > 0 && passed == found ? 0 : 1);
    }
}
