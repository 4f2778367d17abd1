package io.mdevplan.executor.apply;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A persistent definition as mdevctl keeps it in {@code /etc/mdevctl.d/<parent>/<uuid>}: the type, when to start
 * it, and the attributes mdevctl writes in order after create. Printed as mdevctl prints its own (two-space
 * indentation, {@code "key": value}), so that `mdevctl list --defined` and a diff of the directory both read well.
 */
public record MdevctlDefinition(String mdevType, String start, List<Map.Entry<String, String>> attrs) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public MdevctlDefinition {
        attrs = List.copyOf(attrs);
    }

    public String toJson() {
        var json = new StringBuilder();
        json.append("{\n");
        json.append("  \"mdev_type\": ").append(quoted(mdevType)).append(",\n");
        json.append("  \"start\": ").append(quoted(start)).append(",\n");
        if (attrs.isEmpty()) {
            json.append("  \"attrs\": []\n");
        } else {
            json.append("  \"attrs\": [\n");
            for (var i = 0; i < attrs.size(); i++) {
                var attr = attrs.get(i);
                json.append("    {\n      ").append(quoted(attr.getKey())).append(": ").append(quoted(attr.getValue()))
                        .append("\n    }").append(i + 1 < attrs.size() ? ",\n" : "\n");
            }
            json.append("  ]\n");
        }
        return json.append("}\n").toString();
    }

    /**
     * Reads a definition as mdevctl keeps it: {@code mdev_type} and {@code start} as strings, {@code attrs} (optional)
     * one-key objects with string values. Other fields are ignored, as later mdevctl versions may add some.
     * {@code source} names the definition in messages.
     *
     * @throws IllegalArgumentException when the text is not such a definition
     */
    public static MdevctlDefinition parse(String json, String source) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The mdevctl definition " + source + " is not JSON ("
                    + e.getOriginalMessage() + "). Maybe it was cut short: mdevctl modify writes it again.", e);
        }
        var type = tree == null ? null : tree.get("mdev_type");
        var start = tree == null ? null : tree.get("start");
        if (type == null || !type.isTextual() || start == null || !start.isTextual()) {
            throw new IllegalArgumentException("The mdevctl definition " + source + " has no \"mdev_type\" and"
                    + " \"start\" strings. Maybe it is no mdevctl definition; mdevctl list --defined shows those.");
        }
        var list = tree.path("attrs");
        if (!list.isMissingNode() && !list.isArray()) {
            throw new IllegalArgumentException("The mdevctl definition " + source + " has \"attrs\": " + list
                    + ", not a list. Maybe write it as [{\"mdev/name\": \"value\"}], as mdevctl does.");
        }
        var attrs = new ArrayList<Map.Entry<String, String>>();
        for (var attr : list) {
            var names = attr.fieldNames();
            var name = names.hasNext() ? names.next() : null;
            if (name == null || names.hasNext() || !attr.get(name).isTextual()) {
                throw new IllegalArgumentException("The mdevctl definition " + source + " has the attribute " + attr
                        + ", not one name with a string value. Maybe write it as {\"mdev/name\": \"value\"}.");
            }
            attrs.add(new AbstractMap.SimpleImmutableEntry<>(name, attr.get(name).asText()));
        }
        return new MdevctlDefinition(type.asText(), start.asText(), attrs);
    }

    private static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
