package io.alicecontainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("ByteSize parses and formats sizes as -Xmx does")
class ByteSizeTests {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final long GIB = 1024 * MIB;

    @ParameterizedTest(name = "`{0}` is {1} bytes")
    @CsvSource(delimiter = '|', value = {
            "64M    | 67108864",
            "64m    | 67108864",
            "512k   | 524288",
            "512K   | 524288",
            "1G     | 1073741824",
            "2T     | 2199023255552",
            "4096   | 4096",
            "64MiB  | 67108864",
            "64MB   | 67108864",
            "64mb   | 67108864",
            "1KiB   | 1024",
            "100B   | 100",
            "'64 M' | 67108864",
            "' 1G ' | 1073741824",
    })
    void shouldParse(String text, long bytes) {
        assertThat(ByteSize.parse(text)).isEqualTo(bytes);
    }

    @Test
    @DisplayName("MB and MiB both mean powers of 1024, as for -Xmx")
    void shouldTreatDecimalLookingUnitsAsBinary() {
        assertThat(ByteSize.parse("64MB")).isEqualTo(ByteSize.parse("64MiB")).isEqualTo(64 * MIB);
    }

    @ParameterizedTest(name = "`{0}` is refused and quoted")
    @ValueSource(strings = {"64X", "-1", "", "M", "1.5G", "64KIB", "0x40", "64 MiB extra"})
    void shouldRefuseWhatIsNotASize(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> ByteSize.parse(text))
                .withMessageContaining("`" + text + "`").withMessageContaining("is not a size");
    }

    @Test
    @DisplayName("zero is refused as not positive")
    void shouldRefuseZero() {
        assertThatIllegalArgumentException().isThrownBy(() -> ByteSize.parse("0"))
                .withMessage("`0` must be positive");
        assertThatIllegalArgumentException().isThrownBy(() -> ByteSize.parse("0M"))
                .withMessageContaining("`0M`");
    }

    @Test
    @DisplayName("null is refused with a message, not a NullPointerException")
    void shouldRefuseNull() {
        assertThatIllegalArgumentException().isThrownBy(() -> ByteSize.parse(null))
                .withMessageContaining("null");
    }

    @ParameterizedTest(name = "`{0}` is too large")
    @ValueSource(strings = {"99999999999999999999G", "99999999999999999999", "8589934592G", "8388608T"})
    void shouldRefuseOverflow(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> ByteSize.parse(text))
                .withMessage("`" + text + "` is too large");
    }

    @Test
    @DisplayName("the largest sizes that fit in a long are accepted")
    void shouldAcceptTheLargestSizes() {
        assertThat(ByteSize.parse("8589934591G")).isEqualTo(8589934591L * GIB);
        assertThat(ByteSize.parse(Long.toString(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    @DisplayName("format picks B, KiB, MiB or GiB and shows - for unknown")
    void shouldFormat() {
        assertThat(ByteSize.format(64 * MIB)).isEqualTo("64.0 MiB");
        assertThat(ByteSize.format(-1)).isEqualTo("-");
        assertThat(ByteSize.format(17)).isEqualTo("17 B");
        assertThat(ByteSize.format(0)).isEqualTo("0 B");
        assertThat(ByteSize.format(1023)).isEqualTo("1023 B");
        assertThat(ByteSize.format(1536)).isEqualTo("1.5 KiB");
        assertThat(ByteSize.format(GIB)).isEqualTo("1.00 GiB");
        assertThat(ByteSize.format(5 * GIB / 2)).isEqualTo("2.50 GiB");
    }
}
