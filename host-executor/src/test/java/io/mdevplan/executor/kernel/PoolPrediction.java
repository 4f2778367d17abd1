package io.mdevplan.executor.kernel;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.mdevplan.planner.capacity.DeviceObservation;
import io.mdevplan.planner.capacity.InferredCapacity;
import io.mdevplan.planner.capacity.PoolInference;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetParent;

/**
 * What available_instances should read for a set of devices, by the capacity model the executor's inventory
 * printed (pools, per-type costs, mixedTypes) and the planner's {@link PoolInference#predictAvailable}. The one
 * place that knows which inventory fields carry the model: if the inventory's shape changes, only this class does.
 */
final class PoolPrediction {

    private final Map<String, InferredCapacity> models = new TreeMap<>();

    /** The models of every parent of {@code host}, as its inventory printed them. */
    PoolPrediction(FleetHost host) {
        for (var parent : host.parents()) {
            models.put(parent.address(), model(parent));
        }
    }

    boolean knows(String parent) {
        return models.containsKey(parent);
    }

    /**
     * available_instances of every type in {@code typeIds} once {@code devices} exist on the parent; a type the
     * model has no cost for cannot be created there and reads 0.
     */
    Map<String, Long> predict(String parent, List<String> typeIds, List<DeviceObservation> devices) {
        var predicted = PoolInference.predictAvailable(models.get(parent), devices);
        var available = new TreeMap<String, Long>();
        for (var type : typeIds) {
            available.put(type, predicted.getOrDefault(type, 0L));
        }
        return available;
    }

    private static InferredCapacity model(FleetParent parent) {
        var costs = new TreeMap<String, Map<String, Long>>();
        parent.types().forEach(type -> costs.put(type.id(), type.cost()));
        return new InferredCapacity(parent.pools(), costs, parent.isMixedTypes(), "the executor's inventory");
    }
}
