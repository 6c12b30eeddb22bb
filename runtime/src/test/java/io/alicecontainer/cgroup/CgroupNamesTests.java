package io.alicecontainer.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("CgroupNames.validate")
class CgroupNamesTests {

    @ParameterizedTest(name = "`{0}` is refused and quoted")
    @ValueSource(strings = {"a/b", "..", "x..y", ".hidden", "sp ace", "-dash", "tab\there", "ünï"})
    void shouldRefuseUnsafeNames(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> CgroupNames.validate(name))
                .withMessageContaining("`" + name + "`");
    }

    @Test
    @DisplayName("a name with / says it names one cgroup, not a path")
    void shouldExplainSlash() {
        assertThatIllegalArgumentException().isThrownBy(() -> CgroupNames.validate("../escape"))
                .withMessageContaining("`../escape`").withMessageContaining("must not contain `/`");
    }

    @Test
    @DisplayName("null and the empty name are refused")
    void shouldRefuseNullAndEmpty() {
        assertThatIllegalArgumentException().isThrownBy(() -> CgroupNames.validate(null))
                .withMessageContaining("null");
        assertThatIllegalArgumentException().isThrownBy(() -> CgroupNames.validate(""))
                .withMessageContaining("``").withMessageContaining("1-128 characters");
    }

    @Test
    @DisplayName("128 characters are allowed, 129 are not")
    void shouldLimitTheLength() {
        String max = "a".repeat(128);
        assertThat(CgroupNames.validate(max)).isEqualTo(max);
        assertThatIllegalArgumentException().isThrownBy(() -> CgroupNames.validate(max + "b"))
                .withMessageContaining("`" + max + "b`").withMessageContaining("1-128 characters");
    }

    @ParameterizedTest(name = "`{0}` is accepted")
    @ValueSource(strings = {"job-1", "a.b_c", "A", "0", "x.y", "build_42-linux.amd64"})
    void shouldAcceptSafeNames(String name) {
        assertThat(CgroupNames.validate(name)).isEqualTo(name);
    }
}
