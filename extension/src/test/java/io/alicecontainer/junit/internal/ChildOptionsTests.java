package io.alicecontainer.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import io.alicecontainer.rootfs.Bind;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildOptionsTests {

    @Test
    @DisplayName("children get C1 and higher compile thresholds unless an option of the user's chose them; never a collector of ours")
    void defaultsYieldToTheUsersChoice() {
        String scaling = "-XX:CompileThresholdScaling=3";
        assertThat(ChildDefaults.options(List.of(), List.of())).containsExactly("-XX:TieredStopAtLevel=1", scaling);
        assertThat(ChildDefaults.options(List.of("-XX:+UseG1GC"), List.of())).containsExactly("-XX:TieredStopAtLevel=1", scaling);
        assertThat(ChildDefaults.options(List.of(), List.of("-XX:TieredStopAtLevel=4"))).containsExactly(scaling);
        assertThat(ChildDefaults.options(List.of("-XX:-TieredCompilation", "-Xint"), List.of("-XX:+UseParallelGC"))).isEmpty();
        assertThat(ChildDefaults.options(List.of(), List.of("-XX:CompileThresholdScaling=0.5"))).doesNotContain(scaling);
    }

    @Test
    @DisplayName("a child running a whole class gets C2 back, unless an option of the user's chose the compilers")
    void wholeClassChildrenCompileWithC2() {
        assertThat(ChildDefaults.wholeClass(List.of(), List.of())).containsExactly("-XX:TieredStopAtLevel=4");
        assertThat(ChildDefaults.wholeClass(List.of("-XX:+UseG1GC"), List.of("-Xmx1g"))).containsExactly("-XX:TieredStopAtLevel=4");
        assertThat(ChildDefaults.wholeClass(List.of("-XX:TieredStopAtLevel=1"), List.of())).isEmpty();
        assertThat(ChildDefaults.wholeClass(List.of(), List.of("-XX:-TieredCompilation"))).isEmpty();
        assertThat(ChildDefaults.wholeClass(List.of(), List.of("-Xint"))).isEmpty();
        // and the C1-only default then stays out of the command, the option of the class winning
        List<String> extra = ChildDefaults.wholeClass(List.of(), List.of());
        assertThat(ChildDefaults.options(List.of(), extra)).containsExactly("-XX:CompileThresholdScaling=3");
    }

    @Test
    @DisplayName("the defaults come first in a child's command, the user's options last")
    void usersOptionsComeLast() {
        List<String> cmd = ChildJvm.command("java", List.of("-XX:+UseParallelGC"), ChildJvm.classpath(ChildOptionsTests.class));
        assertThat(cmd.indexOf("-XX:TieredStopAtLevel=1")).isPositive();
        assertThat(cmd.indexOf("-XX:+UseParallelGC")).isGreaterThan(cmd.indexOf("-XX:TieredStopAtLevel=1"));
        List<String> tiered = ChildJvm.command("java", List.of("-XX:TieredStopAtLevel=2"), ChildJvm.classpath(ChildOptionsTests.class));
        assertThat(tiered).contains("-XX:TieredStopAtLevel=2").doesNotContain("-XX:TieredStopAtLevel=1");
        assertThat(tiered).noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"));
    }

    @Test
    @DisplayName("a JaCoCo agent of its own configuration excludes the test framework in children, and only then")
    void jacocoSkipsTheTestFramework() {
        String jar = "-javaagent:/r/org/jacoco/org.jacoco.agent/0.8.15/org.jacoco.agent-0.8.15-runtime.jar";
        assertThat(ChildAgents.forChild(jar + "=destfile=/x/jacoco.exec,append=true"))
                .isEqualTo(jar + "=destfile=/x/jacoco.exec,append=true,excludes=" + ChildAgents.TEST_FRAMEWORK);
        assertThat(ChildAgents.forChild(jar)).isEqualTo(jar + "=excludes=" + ChildAgents.TEST_FRAMEWORK);
        assertThat(ChildAgents.forChild(jar + "=includes=org.junit.*")).isEqualTo(jar + "=includes=org.junit.*");
        assertThat(ChildAgents.forChild(jar + "=destfile=a,excludes=x.*")).isEqualTo(jar + "=destfile=a,excludes=x.*");
        assertThat(ChildAgents.forChild("-javaagent:/other/agent.jar=x")).isEqualTo("-javaagent:/other/agent.jar=x");
    }

    @Test
    @DisplayName("an archive outside the working directory is bound read-only into the container; one inside is not")
    void archiveOutsideTheWorkingDirectoryIsBound(@TempDir Path elsewhere, @TempDir Path workdir) throws java.io.IOException {
        String outside = "-XX:SharedArchiveFile=" + elsewhere.resolve("k.jsa");
        String inside = "-XX:SharedArchiveFile=" + workdir.resolve("target/alice-cds/k.jsa");
        assertThat(ChildJvm.binds(ChildJvm.defaultJava(), List.of(outside), workdir, false, List.of())).contains(Bind.readOnly(elsewhere));
        assertThat(ChildJvm.binds(ChildJvm.defaultJava(), List.of(inside), workdir, false, List.of()))
                .noneMatch(b -> b.source().startsWith(workdir));
        Path caches = java.nio.file.Files.createDirectories(elsewhere.resolve("caches"));
        assertThat(ChildJvm.binds(ChildJvm.defaultJava(), List.of("-XX:AOTCache=" + caches.resolve("k.aot")), workdir, false, List.of()))
                .as("a JDK 25 child's AOT cache").contains(Bind.readOnly(caches));
    }
}
