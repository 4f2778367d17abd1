package io.mdevplan.web.dispatch;

/** The body of POST /api/v1/hosts/{name}/actions/{id}/result: {@code done}, or {@code failed} with the error. */
public record ActionResultBody(String status, ActionError error) {
}
