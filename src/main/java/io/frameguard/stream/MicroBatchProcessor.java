package io.frameguard.stream;

import io.frameguard.avro.BufferedFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Collects frames into batches and scores each batch in one forward pass. Waiting frames live in
 * a changelogged store, never only in memory: under exactly-once the store, the input offsets and
 * the outputs commit together, so a crash neither drops nor duplicates a frame. A batch flushes
 * when it holds {@code batchSize} frames, or from a wall-clock punctuator once its oldest frame has
 * waited {@code lingerMs} (so a batch flushes when traffic stops). The store is written for
 * recovery only: the batch itself is built from an in-memory mirror of the waiting frames, rebuilt
 * from the store whenever the task is (re)initialised, so no frame is decoded twice.
 *
 * <p>A waiting frame is keyed by its slot in the batch (0 to {@code batchSize - 1}), not by a
 * sequence number, and the store is cached: a slot written and cleared several times between two
 * commits reaches the changelog once, with its last value. So the changelog carries at most
 * {@code batchSize} records per commit, whatever the frame rate, instead of a put and a tombstone for
 * every frame; what it holds at a commit is exactly the frames that wait at that commit.
 *
 * <p>A batch that flushed on the linger timer rather than because it filled, with frames captured
 * less than {@code freshMs} before, means the line is live and slower than the detector. The
 * processor then asks Kafka Streams to commit at once ({@link ProcessorContext#commit()}), so the
 * batch's scores reach read_committed consumers without waiting up to {@code commit.interval.ms}.
 * Under a backlog batches fill, or a partition that briefly runs dry flushes frames captured long
 * ago; no commit is requested, and commits follow the interval: low latency when there is time for
 * it, full throughput when there is not. A camera clock far behind the detector's only turns this off.
 */
final class MicroBatchProcessor implements Processor<String, BufferedFrame, String, ScoredBatch> {
    private final BatchScorer scorer;
    private final int batchSize;
    private final long lingerMs;
    private final boolean errorMaps;
    /** Capture age under which a lingered batch asks for a commit; negative: never. */
    private final long freshMs;
    private final DetectorMetrics metrics;
    private ProcessorContext<String, ScoredBatch> context;
    private KeyValueStore<Long, BufferedFrame> store;
    /** Store key of the next waiting frame: its slot in the batch, from 0 after every flush. */
    private long nextSlot;
    private final List<Long> waitingKeys = new ArrayList<>();
    private final List<BufferedFrame> waiting = new ArrayList<>();
    /** Wall-clock time the oldest waiting frame arrived (or was restored), -1 when none waits. */
    private long oldestWaitingSince = -1;

    MicroBatchProcessor(BatchScorer scorer, int batchSize, long lingerMs, boolean errorMaps, long freshMs,
            DetectorMetrics metrics) {
        this.scorer = scorer;
        this.batchSize = batchSize;
        this.lingerMs = lingerMs;
        this.errorMaps = errorMaps;
        this.freshMs = freshMs;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, ScoredBatch> context) {
        this.context = context;
        this.store = context.getStateStore(Names.BATCH_STORE);
        waitingKeys.clear();
        waiting.clear();
        nextSlot = 0;
        oldestWaitingSince = -1;
        try (KeyValueIterator<Long, BufferedFrame> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Long, BufferedFrame> kv = it.next();
                waitingKeys.add(kv.key);
                waiting.add(kv.value);
                nextSlot = kv.key + 1;
            }
        }
        if (!waiting.isEmpty()) {
            oldestWaitingSince = context.currentSystemTimeMs();
        }
        long interval = Math.max(1, lingerMs / 2);
        context.schedule(Duration.ofMillis(interval), PunctuationType.WALL_CLOCK_TIME, this::flushIfLingered);
    }

    @Override
    public void process(Record<String, BufferedFrame> record) {
        long slot = nextSlot++;
        store.put(slot, record.value());
        waitingKeys.add(slot);
        waiting.add(record.value());
        if (waiting.size() == 1) {
            oldestWaitingSince = context.currentSystemTimeMs();
        }
        if (waiting.size() >= batchSize) {
            flush();
        }
    }

    private void flushIfLingered(long now) {
        if (!waiting.isEmpty() && now - oldestWaitingSince >= lingerMs) {
            long newestCapture = waiting.get(waiting.size() - 1).getFrame().getCaptureTime().toEpochMilli();
            flush();
            if (now - newestCapture < freshMs) {
                context.commit();
            }
        }
    }

    private void flush() {
        List<BufferedFrame> frames = List.copyOf(waiting);
        long t0 = System.nanoTime();
        BatchScorer.Judged scores = scorer.score(frames.stream().map(BufferedFrame::getFrame).toList(), errorMaps);
        metrics.batchScored(frames.size(), (System.nanoTime() - t0) / 1e9);
        long now = context.currentSystemTimeMs();
        context.forward(new Record<>(null, new ScoredBatch(frames, scores, now), now));
        // put(k, null) rather than delete(k): delete returns the old value, so it would decode every frame again
        for (Long k : waitingKeys) {
            store.put(k, null);
        }
        waitingKeys.clear();
        waiting.clear();
        nextSlot = 0;
        oldestWaitingSince = -1;
    }
}
