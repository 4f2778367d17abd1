package io.mdevplan.web.dispatch;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Why an action failed: the errno the host met (null when it refused before any write) and the message. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionError(String errno, String message) {
}
