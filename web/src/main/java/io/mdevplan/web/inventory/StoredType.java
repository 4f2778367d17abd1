package io.mdevplan.web.inventory;

import java.util.Map;

/** A type with its cost per pool, in the parent's pool order. */
public record StoredType(TypeEntity type, Map<String, Long> cost) {
}
