package io.mdevplan.executor.apply;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * One action of a plan. {@code op} is {@code create} (uuid, parent, type, instances: default 1, attrs: one-key
 * objects written in order, named relative to the device directory as mdevctl names them) or {@code remove} (uuid
 * only). Kept as read, a missing field as null: {@link PlanApplier} refuses what is wrong with the reason.
 */
public record PlanAction(String id, String op, String uuid, String parent, String type, Integer instances,
        @JsonSetter(contentNulls = Nulls.FAIL) List<Map<String, String>> attrs) {
}
