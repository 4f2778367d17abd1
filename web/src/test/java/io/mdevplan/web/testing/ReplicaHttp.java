package io.mdevplan.web.testing;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Requests to a {@link ServiceReplica} as the admin, on loopback, answered with their status, type and body. */
public final class ReplicaHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private ReplicaHttp() {
    }

    /** One answer; {@code nanos} is the time from sending to the whole body. */
    public record Answer(int status, String contentType, String body, long nanos) {

        /** The problem's type URN, or null when the body is no problem. */
        public String problemType() {
            return contentType.startsWith("application/problem+json") ? json().path("type").asText(null) : null;
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("Not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public static Answer send(ServiceReplica replica, String method, String path, Object json, Duration timeout)
            throws IOException, InterruptedException {
        var request = replica.request(path).timeout(timeout);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json instanceof String text ? text
                            : JSON.writeValueAsString(json)));
        }
        var started = System.nanoTime();
        var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), System.nanoTime() - started);
    }
}
