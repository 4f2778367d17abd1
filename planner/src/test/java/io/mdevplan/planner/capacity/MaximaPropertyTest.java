package io.mdevplan.planner.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Random single-pool parents built like the real sample drivers (pool = lcm of the empty availabilities):
 * whatever devices they hold, the maxima method must reproduce what they show, with a pool no larger than
 * the real one, and recover the real model exactly on an empty parent.
 */
class MaximaPropertyTest {

    private static final int[] EMPTY_AVAILABILITIES = {1, 2, 3, 4, 5, 6, 8, 12, 16, 24, 32, 64};

    @RepeatedTest(200)
    void reproducesWhatARandomParentShows(RepetitionInfo repetition) {
        var random = new Random(repetition.getCurrentRepetition());
        var truth = randomParent(random);
        var devices = randomDevices(random, truth);

        var inferred = PoolInference.infer("acme", observe(truth, devices), devices);

        var shown = predictedOrZero(truth, truth, devices);
        assertThat(predictedOrZero(inferred, truth, devices)).as("truth %s, devices %s", truth, devices)
                .isEqualTo(shown);
        assertThat(inferred.pools().get("instances")).isLessThanOrEqualTo(truth.pools().get("instances"));
        if (devices.isEmpty()) {
            assertThat(inferred.pools()).isEqualTo(truth.pools());
            assertThat(inferred.costs()).isEqualTo(truth.costs());
        }
    }

    private static InferredCapacity randomParent(Random random) {
        var typeCount = 1 + random.nextInt(4);
        var empty = new TreeMap<String, Long>();
        for (var i = 0; i < typeCount; i++) {
            empty.put("acme-" + i, (long) EMPTY_AVAILABILITIES[random.nextInt(EMPTY_AVAILABILITIES.length)]);
        }
        var pool = empty.values().stream().reduce(1L, (a, b) -> a / gcd(a, b) * b);
        var costs = new TreeMap<String, Map<String, Long>>();
        empty.forEach((type, count) -> costs.put(type, Map.of("instances", pool / count)));
        return new InferredCapacity(Map.of("instances", pool), costs, true, "truth");
    }

    /** Creates devices of random types while they fit, stopping at a random point. */
    private static List<DeviceObservation> randomDevices(Random random, InferredCapacity truth) {
        var devices = new ArrayList<DeviceObservation>();
        var types = new ArrayList<>(truth.costs().keySet());
        var attempts = random.nextInt(20);
        for (var i = 0; i < attempts; i++) {
            var type = types.get(random.nextInt(types.size()));
            if (PoolInference.predictAvailable(truth, devices).get(type) > 0) {
                devices.add(new DeviceObservation("uuid-" + i, type, 1));
            }
        }
        return devices;
    }

    private static List<TypeObservation> observe(InferredCapacity truth, List<DeviceObservation> devices) {
        var observed = new ArrayList<TypeObservation>();
        PoolInference.predictAvailable(truth, devices).forEach((type, available) ->
                observed.add(new TypeObservation(type, null, null, "vfio-pci", available)));
        return observed;
    }

    private static Map<String, Long> predictedOrZero(InferredCapacity model, InferredCapacity truth,
                                                     List<DeviceObservation> devices) {
        var predicted = new TreeMap<>(PoolInference.predictAvailable(model, devices));
        truth.costs().keySet().forEach(type -> predicted.putIfAbsent(type, 0L));
        return predicted;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
