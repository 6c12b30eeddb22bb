package io.alicecontainer.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;

import io.alicecontainer.namespace.IdMapping.Range;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("IdMapping writes uid_map and gid_map text")
class IdMappingTests {

    @Test
    @DisplayName("rootAs maps root inside to one host id: \"0 1000 1\\n\"")
    void shouldMapRootToOneHostId() {
        // when
        IdMapping m = IdMapping.rootAs(1000, 1001);

        // then
        assertThat(m.uidMap()).isEqualTo("0 1000 1\n");
        assertThat(m.gidMap()).isEqualTo("0 1001 1\n");
        assertThat(m.insideUid()).isZero();
        assertThat(m.insideGid()).isZero();
    }

    @Test
    @DisplayName("range maps a block of ids, one line per range")
    void shouldMapARange() {
        // when
        IdMapping m = IdMapping.range(100000, 65536);

        // then
        assertThat(m.uidMap()).isEqualTo("0 100000 65536\n");
        assertThat(m.gidMap()).isEqualTo("0 100000 65536\n");
    }

    @Test
    @DisplayName("several ranges are several lines; without id 0 inside, the first mapped id is used")
    void shouldWriteSeveralRanges() {
        // given
        IdMapping m = new IdMapping(List.of(new Range(1000, 1000, 1), new Range(2000, 200000, 10)),
                List.of(new Range(5, 1005, 1)));

        // then
        assertThat(m.uidMap()).isEqualTo("1000 1000 1\n2000 200000 10\n");
        assertThat(m.gidMap()).isEqualTo("5 1005 1\n");
        assertThat(m.insideUid()).isEqualTo(1000);
        assertThat(m.insideGid()).isEqualTo(5);
    }

    @Test
    @DisplayName("negative ids and empty ranges are refused with the range in the message")
    void shouldRefuseInvalidRanges() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Range(-1, 1000, 1))
                .withMessageContaining("invalid id range -1 1000 1");
        assertThatIllegalArgumentException().isThrownBy(() -> new Range(0, -5, 1))
                .withMessageContaining("0 -5 1");
        assertThatIllegalArgumentException().isThrownBy(() -> new Range(0, 1000, 0))
                .withMessageContaining("count > 0");
        assertThatIllegalArgumentException().isThrownBy(() -> IdMapping.rootAs(-1, 1000));
        assertThatIllegalArgumentException().isThrownBy(() -> IdMapping.range(100000, 0));
    }

    @Test
    @DisplayName("a mapping needs uids and gids, and at most 340 ranges each")
    void shouldRefuseEmptyOrTooLongMappings() {
        // given
        List<Range> one = List.of(new Range(0, 1000, 1));
        List<Range> many = new ArrayList<>();
        for (int i = 0; i < 341; i++) many.add(new Range(i, 100000 + i, 1));

        // then
        assertThatIllegalArgumentException().isThrownBy(() -> new IdMapping(List.of(), one))
                .withMessageContaining("uid and a gid");
        assertThatIllegalArgumentException().isThrownBy(() -> new IdMapping(one, List.of()))
                .withMessageContaining("uid and a gid");
        assertThatIllegalArgumentException().isThrownBy(() -> new IdMapping(many, one))
                .withMessageContaining("340");
        assertThat(new IdMapping(many.subList(0, 340), one).uidMap().lines()).hasSize(340);
    }

    @Test
    @DisplayName("ids and ranges beyond the 32-bit id space are refused at once")
    void shouldRefuseIdsBeyond32Bits() {
        // uid_t is u32 and (u32)-1 is the invalid id (user_namespaces(7); kernel/user_namespace.c map_write)
        assertThatIllegalArgumentException().isThrownBy(() -> new Range(0, 4294967295L, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new Range(4294967295L, 1000, 1));
        // would be truncated by the kernel to "0 1000 1": root inside mapped to host uid 1000
        assertThatIllegalArgumentException().isThrownBy(() -> IdMapping.rootAs(4294968296L, 1000));
        // first + count must not wrap around in u32
        assertThatIllegalArgumentException().isThrownBy(() -> new Range(0, 100000, 4294967296L));
        assertThatIllegalArgumentException().isThrownBy(() -> new Range(4294900000L, 100000, 100000));
        // the largest valid range is accepted
        assertThat(new Range(0, 0, 4294967295L).count()).isEqualTo(4294967295L);
    }
}
