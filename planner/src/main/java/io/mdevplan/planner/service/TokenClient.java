package io.mdevplan.planner.service;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The service's token API ({@code /api/v1/tokens}, admin only, docs/api.md "Tokens") over {@link HttpClient}, http or
 * https with the Java runtime's certificate verification. An answer other than the expected one becomes a
 * {@link ServiceCallException} carrying the service's problem detail.
 */
public final class TokenClient {

    /** A token as the service lists it, never with its secret; the times as the service wrote them (ISO-8601). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenView(String id, String name, String role, String host, String createdAt, String createdBy,
            String revokedAt) {
    }

    /** A token just made, with its secret: shown this once. */
    public record CreatedToken(TokenView token, String secret) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record TokenRequest(String name, String role, String host) {
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int SAMPLE_LENGTH = 300;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]+");
    // the service may add fields to its answers; a client that refused them would break on every such release
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String base;
    private final BearerToken token;
    private final HttpClient client;

    /** {@code url}: the service's base URL, http or https, e.g. https://mdevplan.example:8443. */
    public TokenClient(URI url, BearerToken token) {
        if (url == null || url.getHost() == null
                || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException("--url " + url + " is not an http or https URL with a host. "
                    + "Maybe use https://mdevplan.example:8443 or http://localhost:8080.");
        }
        this.base = url.toString().replaceAll("/+$", "");
        this.token = token;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    /** Makes a token; {@code host} only for an executor's, else null. */
    public CreatedToken create(String name, String role, String host) {
        String body;
        try {
            body = JSON.writeValueAsString(new TokenRequest(name, role, host));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the token request for " + name + " as JSON. Maybe a field "
                    + "gained a type Jackson cannot write.", e);
        }
        var request = request("/api/v1/tokens").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return read(request, 201, new TypeReference<CreatedToken>() { }, "the token made");
    }

    /** Every token, live and revoked. */
    public List<TokenView> list() {
        return read(request("/api/v1/tokens").GET().build(), 200, new TypeReference<List<TokenView>>() { },
                "the list of tokens");
    }

    /** Revokes a token; answers it with the time it was revoked. */
    public TokenView revoke(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("Token id " + id + " is not an id the service gives. Maybe use an id "
                    + "from `tokens list`.");
        }
        return read(request("/api/v1/tokens/" + id).DELETE().build(), 200, new TypeReference<TokenView>() { },
                "the revoked token");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").header("Authorization", token.header());
    }

    private <T> T read(HttpRequest request, int expected, TypeReference<T> type, String what) {
        var call = request.method() + " " + request.uri();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ServiceCallException("Cannot reach " + call + " (connection refused). Maybe the service is not "
                    + "running at " + base + ", or --url names another host or port.", false, e);
        } catch (SSLException e) {
            throw new ServiceCallException("Cannot call " + call + " over TLS (" + e.getMessage() + "). Maybe the "
                    + "service's certificate is not trusted by this Java: import its CA with keytool -importcert "
                    + "-cacerts, or check that --url names the host in the certificate.", false, e);
        } catch (IOException e) {
            throw new ServiceCallException("Cannot call " + call + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "). Maybe the service is not running at " + base + ".", false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling " + call + ". Maybe the command was cancelled.",
                    e);
        }
        if (response.statusCode() != expected) {
            throw refused(call, response);
        }
        try {
            return JSON.readValue(response.body(), type);
        } catch (JsonProcessingException e) {
            throw new ServiceCallException(call + " answered " + response.statusCode() + " but not with " + what + " ("
                    + e.getOriginalMessage() + "): " + abbreviate(response.body()) + ". Maybe --url points at "
                    + "something else than the mdevplan service.", false, e);
        }
    }

    /** The service's problem detail and each bad value, then what to do about a 401 or 403. */
    private static ServiceCallException refused(String call, HttpResponse<String> response) {
        var status = response.statusCode();
        var problem = problem(response);
        var message = new StringBuilder(call).append(" answered ").append(status);
        if (problem == null) {
            message.append(": ").append(abbreviate(response.body())).append(". Maybe --url points at something else ")
                    .append("than the mdevplan service.");
        } else {
            var title = problem.path("title").asText("");
            message.append(title.isEmpty() ? "" : " (" + title + ")").append(": ")
                    .append(problem.path("detail").asText("(no detail)"));
            for (var item : problem.path("problems")) {
                var value = item.get("value");
                message.append(System.lineSeparator()).append("  ").append(item.path("path").asText("?"))
                        .append(value == null || value.isNull() ? "" : " = " + value).append(": ")
                        .append(item.path("message").asText(""));
            }
        }
        if (status == 401) {
            message.append(System.lineSeparator()).append("The token is not valid for this service. Maybe it was ")
                    .append("revoked or mistyped: use the admin token the service logged at its first start, or one ")
                    .append("an admin made with `tokens create --role admin`, in --token-file or ")
                    .append(BearerToken.ENVIRONMENT_VARIABLE).append('.');
        } else if (status == 403) {
            message.append(System.lineSeparator()).append("Tokens are managed with the admin role. Maybe use an ")
                    .append("admin token in --token-file or ").append(BearerToken.ENVIRONMENT_VARIABLE).append('.');
        }
        return new ServiceCallException(message.toString(), status >= 400 && status < 500, null);
    }

    /** The RFC 7807 problem of an application/problem+json answer, or null. */
    private static JsonNode problem(HttpResponse<String> response) {
        var contentType = response.headers().firstValue("Content-Type").orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/problem+json")) {
            return null;
        }
        try {
            var json = JSON.readTree(response.body());
            return json != null && json.isObject() ? json : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        var flat = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return flat.isEmpty() ? "(no body)"
                : flat.length() <= SAMPLE_LENGTH ? flat : flat.substring(0, SAMPLE_LENGTH) + "...";
    }
}
