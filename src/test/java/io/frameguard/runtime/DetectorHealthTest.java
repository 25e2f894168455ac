package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/** What the liveness and readiness probes answer, from the streams state and the stream threads' failures. */
class DetectorHealthTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final DetectorHealth health = new DetectorHealth(now::get);

    @Test
    void shouldBeReadyOnlyWhenRunningWithAModelLoaded() {
        assertThat(health.isReady(State.RUNNING, true)).isTrue();
        assertThat(health.isReady(State.RUNNING, false)).isFalse();
        for (State s : new State[] {State.CREATED, State.REBALANCING, State.PENDING_SHUTDOWN, State.NOT_RUNNING,
                State.PENDING_ERROR, State.ERROR}) {
            assertThat(health.isReady(s, true)).as("%s", s).isFalse();
        }
    }

    @Test
    void shouldStayLiveWhileRebalancingButNotInErrorOrAfterShutdown() {
        assertThat(health.isLive(State.CREATED)).isTrue();
        assertThat(health.isLive(State.REBALANCING)).isTrue();
        assertThat(health.isLive(State.RUNNING)).isTrue();
        assertThat(health.isLive(State.PENDING_ERROR)).isFalse();
        assertThat(health.isLive(State.ERROR)).isFalse();
        assertThat(health.isLive(State.NOT_RUNNING)).isFalse();
    }

    @Test
    void shouldStopBeingLiveAndReadyWhenStreamThreadsCrashLoop() {
        for (int i = 1; i < DetectorHealth.MAX_THREAD_FAILURES; i++) {
            health.streamThreadFailed();
            now.addAndGet(Duration.ofSeconds(10).toNanos());
        }
        assertThat(health.isLive(State.RUNNING)).as("survivable failures").isTrue();
        health.streamThreadFailed();
        assertThat(health.recentThreadFailures()).isEqualTo(DetectorHealth.MAX_THREAD_FAILURES);
        assertThat(health.isLive(State.RUNNING)).isFalse();
        assertThat(health.isReady(State.RUNNING, true)).isFalse();
    }

    @Test
    void shouldBeLiveAgainWhenTheFailuresAreOlderThanTheWindow() {
        for (int i = 0; i < DetectorHealth.MAX_THREAD_FAILURES; i++) {
            health.streamThreadFailed();
        }
        assertThat(health.isLive(State.RUNNING)).isFalse();
        now.addAndGet(DetectorHealth.FAILURE_WINDOW.toNanos() + 1);
        assertThat(health.recentThreadFailures()).isZero();
        assertThat(health.isLive(State.RUNNING)).isTrue();
    }
}
