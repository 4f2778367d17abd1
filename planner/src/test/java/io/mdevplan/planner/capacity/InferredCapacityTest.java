package io.mdevplan.planner.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InferredCapacityTest {

    @Test
    void sortsPoolsAndCostsForDeterministicOutput() {
        var pools = new LinkedHashMap<String, Long>();
        pools.put("b", 2L);
        pools.put("a", 1L);
        var costs = new LinkedHashMap<String, Map<String, Long>>();
        costs.put("t2", Map.of("b", 1L, "a", 1L));
        costs.put("t1", Map.of("a", 1L));

        var capacity = new InferredCapacity(pools, costs, true, "test");

        assertThat(capacity.pools().keySet()).containsExactly("a", "b");
        assertThat(capacity.costs().keySet()).containsExactly("t1", "t2");
        assertThat(capacity.costs().get("t2").keySet()).containsExactly("a", "b");
    }

    @Test
    void rejectsACostOfAnUnknownPool() {
        assertThatThrownBy(() -> new InferredCapacity(Map.of("ports", 24L), Map.of("mtty-1", Map.of("port", 1L)),
                true, "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mtty-1").hasMessageContaining("port").hasMessageContaining("[ports]");
    }

    @Test
    void rejectsAZeroCost() {
        assertThatThrownBy(() -> new InferredCapacity(Map.of("ports", 24L), Map.of("mtty-1", Map.of("ports", 0L)),
                true, "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mtty-1 costs 0 of pool ports");
    }

    @Test
    void rejectsAnEmptyCostVector() {
        assertThatThrownBy(() -> new InferredCapacity(Map.of("ports", 24L), Map.of("mtty-1", Map.of()), true, "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mtty-1 has an empty cost vector");
    }

    @Test
    void rejectsANegativePool() {
        assertThatThrownBy(() -> new InferredCapacity(Map.of("ports", -1L), Map.of(), true, "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pool ports has capacity -1");
    }

    @Test
    void observationsRejectImpossibleCounts() {
        assertThatThrownBy(() -> new TypeObservation("mtty-1", null, null, "vfio-pci", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("availableInstances of type mtty-1 is -1");
        assertThatThrownBy(() -> new DeviceObservation("u1", "mtty-1", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device u1 holds 0 instances");
    }
}
