package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

@DisplayName("The isolated units a test plan will still hand to child JVMs are counted from the plan")
class PlanDemandTests {
    private static final ClassLoader LOADER = PlanDemandTests.class.getClassLoader();

    static class MethodsTestCase {
        @Test
        @Isolated
        void one() {
        }

        @Test
        @MemoryLimit("64M") // a limit implies @Isolated
        void two() {
        }

        @Test
        @Isolated
        @Disabled("skipped at run time")
        void disabled() {
        }

        @Test
        void inProcess() {
        }

        @Nested
        @Isolated
        class Inner {
            @Test
            void three() {
            }

            @Test
            void four() {
            }
        }
    }

    @Isolated(granularity = Granularity.CLASS)
    static class WholeClassTestCase {
        @Test
        void one() {
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        void template(int i) {
        }

        @Nested
        class Inner {
            @Test
            void two() {
            }
        }
    }

    @Isolated
    static class ConfiguredClassTestCase {
        @Test
        void one() {
        }

        @Test
        void two() {
        }
    }

    static class TemplatesTestCase {
        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3})
        @Isolated
        void template(int i) {
        }

        @TestFactory
        @Isolated
        Stream<DynamicTest> factory() {
            return Stream.of(DynamicTest.dynamicTest("d", () -> { }));
        }

        @Test
        @Isolated
        void plain() {
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        void inProcessTemplate(int i) {
        }
    }

    static class InProcessTestCase {
        @Test
        void one() {
        }

        @Test
        void two() {
        }
    }

    private static TestPlan plan(Map<String, String> parameters, Class<?>... classes) {
        return LauncherFactory.create().discover(LauncherDiscoveryRequestBuilder.request()
                .selectors(Stream.of(classes).map(c -> selectClass(c)).toList())
                .configurationParameters(parameters)
                .build());
    }

    private static String method(TestPlan plan, Class<?> c, String name) {
        return find(plan, id -> id.getSource().filter(s -> s instanceof MethodSource m && m.getMethodName().equals(name)
                && m.getClassName().equals(c.getName())).isPresent());
    }

    private static String clazz(TestPlan plan, Class<?> c) {
        return find(plan, id -> id.getSource().filter(s -> s instanceof ClassSource cs && cs.getClassName().equals(c.getName()))
                .isPresent());
    }

    private static String find(TestPlan plan, java.util.function.Predicate<TestIdentifier> p) {
        return plan.getRoots().stream().flatMap(r -> plan.getDescendants(r).stream()).filter(p).findFirst().orElseThrow()
                .getUniqueId();
    }

    @Test
    @DisplayName("method granularity: each isolated test is a unit, in-process tests are not; a test taking its child no longer counts")
    void isolatedTestsAreUnits() {
        TestPlan plan = plan(Map.of(), MethodsTestCase.class);
        PlanDemand d = PlanDemand.count(plan, LOADER);

        assertThat(d.stillToCome()).isEqualTo(5); // one, two, disabled, Inner.three, Inner.four
        d.taking(method(plan, MethodsTestCase.class, "one"));
        assertThat(d.stillToCome()).isEqualTo(4);
        d.ended(method(plan, MethodsTestCase.class, "disabled")); // skipped
        d.ended(method(plan, MethodsTestCase.class, "inProcess"));
        assertThat(d.stillToCome()).isEqualTo(3);
        d.ended(clazz(plan, MethodsTestCase.Inner.class)); // skipped, or failed in @BeforeAll: its tests go with it
        assertThat(d.stillToCome()).isEqualTo(1);
        d.ended(clazz(plan, MethodsTestCase.class));
        assertThat(d.stillToCome()).isZero();
    }

    @Test
    @DisplayName("alice.isolation.mode=all makes every test a unit")
    void modeAll() {
        assertThat(PlanDemand.count(plan(Map.of(), InProcessTestCase.class), LOADER).stillToCome()).isZero();
        assertThat(PlanDemand.count(plan(Map.of("alice.isolation.mode", "all"), InProcessTestCase.class), LOADER).stillToCome())
                .isEqualTo(2);
    }

    @Test
    @DisplayName("class granularity: a wholly isolated class is one unit, its templates and nested classes included")
    void classGranularity() {
        TestPlan plan = plan(Map.of(), WholeClassTestCase.class, ConfiguredClassTestCase.class);
        PlanDemand d = PlanDemand.count(plan, LOADER);
        assertThat(d.stillToCome()).isEqualTo(1 + 2); // the CLASS class, the method-granular one's two tests

        TestPlan configured = plan(Map.of("alice.isolation.granularity", "class"), WholeClassTestCase.class,
                ConfiguredClassTestCase.class, InProcessTestCase.class);
        PlanDemand c = PlanDemand.count(configured, LOADER);
        assertThat(c.stillToCome()).isEqualTo(2);
        c.taking(clazz(configured, WholeClassTestCase.class));
        assertThat(c.stillToCome()).isEqualTo(1);
    }

    @Test
    @DisplayName("an isolated test template or factory makes the count unbounded until it ends; an in-process one does not")
    void templatesAreUnbounded() {
        TestPlan plan = plan(Map.of(), TemplatesTestCase.class);
        PlanDemand d = PlanDemand.count(plan, LOADER);

        assertThat(d.stillToCome()).isEqualTo(PlanDemand.UNBOUNDED);
        d.ended(method(plan, TemplatesTestCase.class, "template"));
        assertThat(d.stillToCome()).isEqualTo(PlanDemand.UNBOUNDED);
        d.ended(method(plan, TemplatesTestCase.class, "factory"));
        assertThat(d.stillToCome()).isEqualTo(1);
        d.ended(method(plan, TemplatesTestCase.class, "inProcessTemplate"));
        assertThat(d.stillToCome()).isEqualTo(1);
    }

    @Test
    @DisplayName("a class that cannot be loaded counts as unknown (unbounded) until it ends")
    void unloadableIsUnbounded() {
        TestPlan plan = plan(Map.of(), MethodsTestCase.class);
        PlanDemand d = PlanDemand.count(plan, new ClassLoader(null) {
        });

        assertThat(d.stillToCome()).isEqualTo(PlanDemand.UNBOUNDED);
        d.ended(clazz(plan, MethodsTestCase.class));
        assertThat(d.stillToCome()).isZero();
    }

    @Test
    @DisplayName("a test finds the most recent running plan that holds it (or its template), none once the plan finished")
    void findsItsOwnPlan() {
        TestPlan plan = plan(Map.of(), TemplatesTestCase.class);
        TestPlan again = plan(Map.of(), TemplatesTestCase.class);
        TestPlan otherPlan = plan(Map.of(), InProcessTestCase.class);
        PlanDemand older = PlanDemand.count(plan, LOADER);
        PlanDemand newer = PlanDemand.count(again, LOADER);
        PlanDemand other = PlanDemand.count(otherPlan, LOADER);
        String plain = method(plan, TemplatesTestCase.class, "plain");
        String invocation = method(plan, TemplatesTestCase.class, "template") + "/[test-template-invocation:#2]";
        PlanDemand.started(older);
        PlanDemand.started(newer);
        PlanDemand.started(other);
        try {
            assertThat(PlanDemand.of(plain)).isSameAs(newer);
            assertThat(PlanDemand.of(invocation)).isSameAs(newer);
            assertThat(PlanDemand.of("[engine:junit-jupiter]/[class:no.Such]/[method:x()]")).isNull();
            PlanDemand.finished(again);
            assertThat(PlanDemand.of(plain)).isSameAs(older);
        } finally {
            PlanDemand.finished(again);
            PlanDemand.finished(plan);
            PlanDemand.finished(otherPlan);
        }
        assertThat(PlanDemand.of(plain)).isNull();
    }
}
