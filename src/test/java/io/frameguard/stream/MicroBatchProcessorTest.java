package io.frameguard.stream;

import static io.frameguard.stream.TopologyFixture.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.avro.BufferedFrame;
import io.frameguard.avro.ImageFrame;
import io.frameguard.config.FrameGuardConfig;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * When the batcher asks for a commit. The topology test driver commits after every record, so
 * these run the processor on Kafka Streams' mock context, which records commit requests.
 */
class MicroBatchProcessorTest {
    private static final int BATCH = 4;
    private static final long LINGER_MS = 20;
    private static final long FRESH_MS = 100;
    private static final long START = 1_000_000;

    private final MockProcessorContext<String, ScoredBatch> context = new MockProcessorContext<>(
            FrameGuardConfig.load(null, Map.of(), Map.of()).streamsProperties());

    private MicroBatchProcessor processor(long freshMs) {
        context.setCurrentSystemTimeMs(START);
        KeyValueStore<Long, BufferedFrame> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Names.BATCH_STORE),
                Serdes.Long(), Topics.of(FrameGuardConfig.load(null, Map.of(), Map.of())).bufferedSerde()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        MicroBatchProcessor p = new MicroBatchProcessor(new FakeScorer(0.1), BATCH, LINGER_MS, false, freshMs,
                DetectorMetrics.NONE);
        p.init(context);
        return p;
    }

    /** Sends {@code n} frames captured {@code ageMs} before now. */
    private void send(MicroBatchProcessor p, int n, long ageMs) {
        for (int i = 0; i < n; i++) {
            ImageFrame f = frame("f" + i, "line-1", 10, null);
            f.setCaptureTime(Instant.ofEpochMilli(context.currentSystemTimeMs() - ageMs));
            p.process(new Record<>("k", BufferedFrames.of(f, null, null), f.getCaptureTime().toEpochMilli()));
        }
    }

    private void punctuate(long afterStart) {
        long at = START + afterStart;
        context.setCurrentSystemTimeMs(at);
        context.scheduledPunctuators().forEach(c -> c.getPunctuator().punctuate(at));
    }

    @Test
    void shouldAskForACommitAfterABatchOfFreshFramesFlushedOnLinger() {
        MicroBatchProcessor p = processor(FRESH_MS);
        send(p, 2, 5);
        punctuate(LINGER_MS - 1);
        assertThat(context.forwarded()).as("not yet lingered").isEmpty();
        assertThat(context.committed()).isFalse();
        punctuate(LINGER_MS);
        assertThat(context.forwarded()).hasSize(1);
        assertThat(((ScoredBatch) context.forwarded().get(0).record().value()).frames()).hasSize(2);
        assertThat(context.committed()).as("a commit is requested right after the lingered batch").isTrue();
    }

    @Test
    void shouldLeaveCommitsToTheIntervalWhenBatchesFill() {
        MicroBatchProcessor p = processor(FRESH_MS);
        send(p, 3 * BATCH, 5);
        punctuate(LINGER_MS);
        assertThat(context.forwarded()).as("three full batches").hasSize(3);
        assertThat(context.committed()).as("full batches mean a backlog: no extra commits").isFalse();
    }

    @Test
    void shouldLeaveCommitsToTheIntervalWhenALingeredBatchHoldsOldFrames() {
        MicroBatchProcessor p = processor(FRESH_MS);
        send(p, 2, 10_000);
        punctuate(LINGER_MS);
        assertThat(context.forwarded()).hasSize(1);
        assertThat(context.committed()).as("frames from a backlog or a replay: the detector is behind").isFalse();
    }

    @Test
    void shouldNotAskForCommitsWhenTurnedOff() {
        MicroBatchProcessor p = processor(-1);
        send(p, 2, 5);
        punctuate(LINGER_MS);
        assertThat(context.forwarded()).hasSize(1);
        assertThat(context.committed()).isFalse();
    }
}
