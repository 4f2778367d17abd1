package io.mdevplan.web.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.scenario.ScenarioStore.Snapshot;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * A scenario's progress as server-sent events, from any replica: the scenario's row is read every events interval
 * (the worker running it stores its progress with each heartbeat), and what changed is sent: a {@code state} event
 * when its state changes (the first read sends one too), a {@code progress} event when its progress does. The stream
 * ends after the state event of a state nothing follows (done, failed, cancelled).
 */
@Singleton
public final class ScenarioEvents {

    public static final String STATE = "state";
    public static final String PROGRESS = "progress";

    /** The data of a state event. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StateEvent(String id, String state, String bestScore, Long elapsedMillis, String error) {
    }

    private final ScenarioService scenarios;
    private final ObjectMapper json;
    private final long intervalMillis;
    private final ScheduledExecutorService executor;

    ScenarioEvents(ScenarioService scenarios, ObjectMapper json, MdevplanConfig config) {
        this.scenarios = scenarios;
        this.json = json;
        this.intervalMillis = config.scenarios().eventsInterval().toMillis();
        var threads = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(2, runnable -> {
            var thread = new Thread(runnable, "mdevplan-scenario-events-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** The scenario's events; 404 (before any event) for an unknown id. */
    public Multi<OutboundSseEvent> stream(String idText, Sse sse) {
        var id = ScenarioStore.id(idText);
        var first = scenarios.snapshot(id);
        return Multi.createFrom().emitter(emitter -> {
            var follower = new Follower(sse, emitter);
            follower.send(first);
            if (first.state().isOver()) {
                emitter.complete();
                return;
            }
            follower.task.set(executor.scheduleWithFixedDelay(() -> follower.poll(id), intervalMillis,
                    intervalMillis, TimeUnit.MILLISECONDS));
        });
    }

    /** One subscriber's view: what it was sent last, and the task that reads the scenario for it. */
    private final class Follower {

        private final Sse sse;
        private final MultiEmitter<? super OutboundSseEvent> emitter;
        private final AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        private ScenarioState state;
        private String progress;

        Follower(Sse sse, MultiEmitter<? super OutboundSseEvent> emitter) {
            this.sse = sse;
            this.emitter = emitter;
        }

        /** Runs on the executor; stops its task once the stream has ended, or the client went away. */
        void poll(long id) {
            if (emitter.isCancelled()) {
                stopTask();
                return;
            }
            try {
                var snapshot = scenarios.snapshot(id);
                send(snapshot);
                if (snapshot.state().isOver()) {
                    stopTask();
                    emitter.complete();
                }
            } catch (RuntimeException e) {
                stopTask();
                emitter.fail(e);
            }
        }

        private void stopTask() {
            var scheduled = task.get();
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }

        /** The progress first, so the last progress of a run comes before the state that ends it. */
        void send(Snapshot snapshot) {
            if (snapshot.progress() != null && !snapshot.progress().equals(progress)) {
                progress = snapshot.progress();
                emitter.emit(event(PROGRESS, tree(progress)));
            }
            if (!Objects.equals(state, snapshot.state())) {
                state = snapshot.state();
                emitter.emit(event(STATE, new StateEvent(String.valueOf(snapshot.id()), state.column(),
                        snapshot.bestScore(), snapshot.elapsedMillis(), snapshot.error())));
            }
        }

        private OutboundSseEvent event(String name, Object data) {
            // JSON by the resource's stream element type: an event's own media type would be sent as a field
            return sse.newEventBuilder().name(name).data(data).build();
        }
    }

    private Object tree(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("A scenario's stored progress does not parse: " + e.getMessage(), e);
        }
    }
}
