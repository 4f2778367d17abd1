package io.mdevplan.web.auth;

/** Who a verified token belongs to: the token's id and name, its role, and an executor's host. */
record Caller(long tokenId, String name, String role, String host) {
}
