package io.mdevplan.executor.simulation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mdevplan.executor.sysfs.AggregationDialect;
import io.mdevplan.executor.sysfs.TypeAggregation;

/**
 * A type a simulated parent offers: what one instance costs of each of the parent's pools, how it aggregates, and
 * which vendor attributes its devices have (named relative to the device directory, e.g. {@code mdev/weight}).
 * {@code name}, {@code deviceApi} and {@code description} are null where the driver has no such file.
 */
public record SimulatedType(String id, String name, String deviceApi, String description, Map<String, Long> costs,
        TypeAggregation aggregation, List<String> attributes) {

    public SimulatedType {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("A simulated type has no id."
                    + " Maybe name it <driver>-<type>, e.g. mtty-2.");
        }
        costs.forEach((pool, cost) -> {
            if (cost == null || cost < 0) {
                throw new IllegalArgumentException("The type " + id + " costs " + cost + " of the pool " + pool
                        + ". Maybe give a cost of 0 or more per instance.");
            }
        });
        costs = Collections.unmodifiableMap(new LinkedHashMap<>(costs));
        attributes = List.copyOf(attributes);
        if (aggregation == null) {
            throw new IllegalArgumentException("The type " + id + " has no aggregation."
                    + " Maybe pass TypeAggregation.NONE.");
        }
    }

    /** A vfio-pci type without description, aggregation or attributes. */
    public static SimulatedType of(String id, String name, Map<String, Long> costs) {
        return new SimulatedType(id, name, "vfio-pci", null, costs, TypeAggregation.NONE, List.of());
    }

    public SimulatedType withDescription(String newDescription) {
        return new SimulatedType(id, name, deviceApi, newDescription, costs, aggregation, attributes);
    }

    public SimulatedType withAggregation(AggregationDialect dialect, int max) {
        return new SimulatedType(id, name, deviceApi, description, costs, new TypeAggregation(dialect, max),
                attributes);
    }

    public SimulatedType withAttributes(String... names) {
        return new SimulatedType(id, name, deviceApi, description, costs, aggregation, List.of(names));
    }

    /** The description file as the driver prints it: attribute-dialect drivers add their maximum as a last line. */
    String renderedDescription() {
        if (aggregation.dialect() != AggregationDialect.ATTRIBUTE) {
            return description;
        }
        var base = description == null ? "" : description.endsWith("\n") ? description : description + "\n";
        return base + "aggregation: " + aggregation.max() + "\n";
    }
}
