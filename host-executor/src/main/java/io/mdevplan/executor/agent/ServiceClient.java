package io.mdevplan.executor.agent;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.executor.apply.ActionError;
import io.mdevplan.executor.apply.ActionResult;
import io.mdevplan.executor.apply.ActionStatus;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetJson;

/**
 * The service's host API as one host's agent uses it: register the inventory, heartbeat, long-poll the actions and
 * post their results. Every request carries the bearer token. A request in flight can be cancelled, so that stopping
 * the agent does not wait out a long poll.
 */
public final class ServiceClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** What any request but a poll may take; a poll gets its wait on top. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String JSON = "application/json";

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI hostUri;
    private final String token;
    private volatile CompletableFuture<HttpResponse<byte[]>> inFlight;

    public ServiceClient(AgentSettings settings) {
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        this.json = FleetJson.mapper().copy().setSerializationInclusion(JsonInclude.Include.NON_NULL);
        var base = settings.service().toString().replaceAll("/+$", "");
        this.hostUri = URI.create(base + "/api/v1/hosts/" + URLEncoder.encode(settings.host(), StandardCharsets.UTF_8));
        this.token = settings.token();
    }

    /** The body of a heartbeat; the start as ISO-8601 text, e.g. 2026-11-27T03:55:00Z. */
    record Heartbeat(String executorVersion, String startedAt) {
    }

    /** The body of a result: done, or failed with the error (a refusal is a failure without errno). */
    record Result(String status, ActionError error) {
    }

    /**
     * Stores the host's inventory as the service's host shape; answers where the service finds the host unlike its
     * placements, one line per difference ("uuid on parent: drift").
     */
    public List<String> putInventory(FleetHost host) throws ServiceException {
        var answer = send(request("/inventory", REQUEST_TIMEOUT).PUT(body(host)).build(), false);
        var drift = new ArrayList<String>();
        try {
            for (var line : json.readTree(answer).path("drift")) {
                drift.add(line.path("uuid").asText() + " on " + line.path("parent").asText() + ": "
                        + line.path("drift").asText());
            }
        } catch (IOException e) {
            throw new ServiceException(200, "PUT " + hostUri + "/inventory answered no JSON. Maybe --service"
                    + " points at something else than mdevplan.", e);
        }
        return drift;
    }

    /** Answers whether the service asks for the inventory: it has none since this executor started. */
    public boolean heartbeat(String executorVersion, Instant startedAt) throws ServiceException {
        var answer = send(request("/heartbeat", REQUEST_TIMEOUT).POST(body(new Heartbeat(executorVersion,
                startedAt.toString()))).build(), false);
        try {
            return json.readTree(answer).path("reportInventory").asBoolean(false);
        } catch (IOException e) {
            throw new ServiceException(200, "POST " + hostUri + "/heartbeat answered no JSON. Maybe --service"
                    + " points at something else than mdevplan.", e);
        }
    }

    /** The host's pending actions in the plan shape, waiting up to {@code wait} for some to appear. */
    public byte[] pollActions(Duration wait) throws ServiceException {
        return send(request("/actions?wait=" + wait.toMillis() + "ms", REQUEST_TIMEOUT.plus(wait)).GET().build(), true);
    }

    /** Stores one action's result. Skipped actions have none: they stay pending and come back in the next plan. */
    public void postResult(ActionResult result) throws ServiceException {
        if (result.status() == ActionStatus.SKIPPED) {
            throw new IllegalArgumentException("Action " + result.id() + " was skipped and has no result to store.");
        }
        var body = result.status() == ActionStatus.DONE ? new Result("done", null) : new Result("failed",
                result.error());
        send(request("/actions/" + URLEncoder.encode(result.id(), StandardCharsets.UTF_8) + "/result",
                REQUEST_TIMEOUT).POST(body(body)).build(), false);
    }

    /** Ends the long poll in flight, if any, with a ServiceException. */
    public void cancel() {
        var request = inFlight;
        if (request != null) {
            request.cancel(true);
        }
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        var builder = HttpRequest.newBuilder(URI.create(hostUri + path)).timeout(timeout)
                .header("Accept", JSON).header("Content-Type", JSON);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private HttpRequest.BodyPublisher body(Object value) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + value + " as JSON", e);
        }
    }

    /** {@code cancellable}: the long poll, which {@link #cancel()} may end; other requests are short. */
    private byte[] send(HttpRequest request, boolean cancellable) throws ServiceException {
        var future = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        if (cancellable) {
            inFlight = future;
        }
        HttpResponse<byte[]> response;
        try {
            response = future.get();
        } catch (CancellationException e) {
            throw new ServiceException(0, request.method() + " " + request.uri() + " was cancelled.", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ServiceException(0, request.method() + " " + request.uri() + " was interrupted.", e);
        } catch (ExecutionException e) {
            var cause = e.getCause() instanceof IOException ? e.getCause() : e;
            throw new ServiceException(0, request.method() + " " + request.uri() + " got no answer ("
                    + cause + "). Maybe the service is down or --service is wrong.", cause);
        } finally {
            if (cancellable) {
                inFlight = null;
            }
        }
        if (response.statusCode() / 100 != 2) {
            throw new ServiceException(response.statusCode(), request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + ": " + detail(response.body()), null);
        }
        return response.body();
    }

    /** The problem's detail when the service sent problem+json, else the body's start. */
    private String detail(byte[] body) {
        try {
            var detail = json.readTree(body).path("detail");
            if (detail.isTextual()) {
                return detail.asText();
            }
        } catch (IOException e) {
            // not JSON: the body as text below
        }
        var text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
