package io.mdevplan.executor.apply;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * A persistent definition as mdevctl keeps it in {@code /etc/mdevctl.d/<parent>/<uuid>}: the type, when to start
 * it, and the attributes mdevctl writes in order after create. Printed as mdevctl prints its own (two-space
 * indentation, {@code "key": value}), so that `mdevctl list --defined` and a diff of the directory both read well.
 */
public record MdevctlDefinition(String mdevType, String start, List<Map.Entry<String, String>> attrs) {

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

    private static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
