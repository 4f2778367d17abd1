package io.mdevplan.web.dispatch;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one host is to do, in the host executor's plan shape: the host's name and its pending actions in the order to
 * apply them.
 */
public record HostPlan(String host, List<Action> actions) {

    public HostPlan {
        actions = List.copyOf(actions);
    }

    /**
     * One action: a create names the device's parent, type, instances and the attributes to write in order after
     * create (one-key objects, as mdevctl keeps them); a remove only the device's UUID.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Action(String id, String op, String uuid, String parent, String type, Integer instances,
            List<Map<String, String>> attrs) {
    }
}
