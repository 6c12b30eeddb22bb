package io.alicecontainer.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("OwnPrivileges reads /proc/self/status")
class OwnPrivilegesTests {
    private static String status(String uid, String capEff, String nnp, String seccomp) {
        return "Name:\tjava\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\nCapEff:\t" + capEff
                + "\nNoNewPrivs:\t" + nnp + "\nSeccomp:\t" + seccomp + "\n";
    }

    @Test
    @DisplayName("root with CAP_SYS_ADMIN may make containers")
    void hostRoot() {
        assertThat(OwnPrivileges.whyContainersCannotBeMade(status("0", "000001ffffffffff", "0", "0"))).isNull();
    }

    @Test
    @DisplayName("root without CAP_SYS_ADMIN under a filter is a least-privilege container: use Sandbox")
    void containedRoot() {
        String why = OwnPrivileges.whyContainersCannotBeMade(status("0", "00000000a00425fb", "1", "2"));

        assertThat(why).contains("lacks CAP_SYS_ADMIN", "00000000a00425fb", "seccomp filter on", "no_new_privs", "Sandbox", "privileged()");
    }

    @Test
    @DisplayName("an ordinary user (rootless) is left to try")
    void rootless() {
        assertThat(OwnPrivileges.whyContainersCannotBeMade(status("1000", "0000000000000000", "0", "0"))).isNull();
        assertThat(OwnPrivileges.whyContainersCannotBeMade("garbage")).isNull();
    }
}
