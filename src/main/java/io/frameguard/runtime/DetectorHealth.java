package io.frameguard.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * Liveness and readiness of one detector, for an orchestrator's probes.
 *
 * <ul>
 *   <li><b>Live</b>: the process makes progress or can. Not live when Kafka Streams is in ERROR or
 *       PENDING_ERROR, is shut down, or when its stream threads crash-loop: {@value #MAX_THREAD_FAILURES}
 *       or more failures within {@link #FAILURE_WINDOW}. A failed stream thread is replaced and
 *       restarts from its last commit, so one failure is survivable, but a record that kills every
 *       thread that reads it (an out-of-memory on a hostile frame, say) would otherwise loop forever
 *       behind an "UP". A restart of the process is then the orchestrator's move.
 *   <li><b>Ready</b>: live, RUNNING (not rebalancing or restoring) and with a model loaded.
 * </ul>
 *
 * Thread-safe: failures are recorded from stream threads, probes read from the HTTP thread.
 */
public final class DetectorHealth {
    /** Stream thread failures within {@link #FAILURE_WINDOW} that make the detector not live. */
    static final int MAX_THREAD_FAILURES = 3;
    /** A failure older than this no longer counts: a detector that recovered is live again. */
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(5);

    private final LongSupplier nanoTime;
    private final Deque<Long> failures = new ArrayDeque<>();

    public DetectorHealth() {
        this(System::nanoTime);
    }

    DetectorHealth(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Called by the uncaught exception handler each time a stream thread dies. */
    public synchronized void streamThreadFailed() {
        failures.addLast(nanoTime.getAsLong());
        expire();
    }

    /** Stream thread failures within the window. */
    public synchronized int recentThreadFailures() {
        expire();
        return failures.size();
    }

    public boolean isLive(State state) {
        return switch (state) {
            case CREATED, REBALANCING, RUNNING -> recentThreadFailures() < MAX_THREAD_FAILURES;
            case PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR, ERROR -> false;
        };
    }

    public boolean isReady(State state, boolean modelLoaded) {
        return state == State.RUNNING && modelLoaded && isLive(state);
    }

    private void expire() {
        long oldest = nanoTime.getAsLong() - FAILURE_WINDOW.toNanos();
        while (!failures.isEmpty() && failures.peekFirst() - oldest < 0) {
            failures.removeFirst();
        }
    }
}
