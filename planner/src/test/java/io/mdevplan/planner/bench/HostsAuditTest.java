package io.mdevplan.planner.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostsAuditTest {

    /** Shaped as docs/api.md shows GET /api/v1/hosts, with fields the audit does not read. */
    private static final String HOSTS = """
            [{"name": "lab-01", "labels": {"zone": "a"}, "schedulable": true, "lastHeartbeat": null,
              "parents": [
               {"address": "mtty", "driver": "mtty", "mixedTypes": true,
                "pools": [{"name": "ports", "capacity": 24, "used": 24, "free": 0}],
                "types": [{"id": "mtty-1", "available": 0}], "devices": [], "reserved": []},
               {"address": "0000:00:02.0", "driver": "i915",
                "pools": [{"name": "low_gm", "capacity": 512, "used": 576, "free": -64},
                          {"name": "high_gm", "capacity": 3072, "used": 2048, "free": 1024},
                          {"name": "fence", "capacity": 32, "used": 33, "free": -1}],
                "types": [], "devices": [], "reserved": []}]},
             {"name": "gpu-01", "parents": [
               {"address": "0000:1a:00.0", "pools": [{"name": "framebuffer", "capacity": 24576, "used": 0, "free": 24576}]}]},
             {"name": "empty-01", "parents": []}]
            """;

    @Test
    void countsEveryPoolAndNamesTheOverbookedOnes() {
        var result = HostsAudit.audit(HOSTS, "sample");

        assertThat(result.hosts()).isEqualTo(3);
        assertThat(result.parents()).isEqualTo(3);
        assertThat(result.pools()).isEqualTo(5);
        assertThat(result.overbookedPools()).isEqualTo(2);
        assertThat(result.overbooked()).containsExactly("lab-01/0000:00:02.0 low_gm: used 576 of 512",
                "lab-01/0000:00:02.0 fence: used 33 of 32");
    }

    @Test
    void aFullPoolIsNotOverbooked() {
        var result = HostsAudit.audit("""
                [{"name": "h", "parents": [{"address": "p", "pools": [{"name": "ports", "capacity": 24, "used": 24}]}]}]
                """, "sample");

        assertThat(result.overbookedPools()).isZero();
        assertThat(HostsAudit.audit("[]", "sample").pools()).isZero();
    }

    @Test
    void anUnexpectedShapeNamesTheSourceAndThePath() {
        assertThatThrownBy(() -> HostsAudit.audit("{\"hosts\": []}", "http://x/api/v1/hosts"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://x/api/v1/hosts at $ ")
                .hasMessageContaining("Maybe");
        assertThatThrownBy(() -> HostsAudit.audit("""
                [{"name": "h", "parents": [{"address": "p", "pools": [{"name": "ports", "capacity": 24, "used": "1"}]}]}]
                """, "sample"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$[0].parents[0].pools[0]")
                .hasMessageContaining("\"used\"");
        assertThatThrownBy(() -> HostsAudit.audit("<html>", "sample")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
    }
}
