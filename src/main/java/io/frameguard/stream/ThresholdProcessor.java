package io.frameguard.stream;

import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.BufferedFrame;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.avro.ThresholdState;
import io.frameguard.evaluation.ThresholdStrategy;
import io.frameguard.stream.DeadLetter.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Judges scored frames against their source's threshold and emits a {@link FrameScore} for every
 * frame and an {@link AnomalyEvent} for each over the threshold. The threshold of a source comes
 * from its rolling window of normal scores in a changelogged store; frames are judged one by one in
 * the source's order and their normal scores update the window (frames labelled normal when a label
 * is present, otherwise frames under the threshold, so anomalies never raise the bar), with the
 * threshold recomputed at fixed counts of normal scores ({@link ThresholdWindow#judge}), so batch
 * boundaries never change a verdict. With {@code fixed} the threshold never moves.
 *
 * <p>The store is written for recovery and for {@code /thresholds}; judging reads an in-memory
 * mirror of the states this task has seen, emptied whenever the task is (re)initialised and filled
 * from the store the first time each source turns up again. A store read deserialises the whole window (a thousand doubles), and with small
 * batches (low {@code linger.ms}) that happened hundreds of times a second per source. The store is
 * cached, so between two commits a source's state reaches the changelog once, not once per batch.
 */
final class ThresholdProcessor implements Processor<String, ScoredBatch, Object, Object> {
    private final BatchScorer model;
    private final ThresholdStrategy strategy;
    private final int windowSize;
    private final Set<String> normalLabels;
    private final Serializer<ImageFrame> frameSerializer;
    private final DetectorMetrics metrics;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, ThresholdState> store;
    private final Map<String, ThresholdState> states = new HashMap<>();

    ThresholdProcessor(BatchScorer model, ThresholdStrategy strategy, int windowSize, Serializer<ImageFrame> frameSerializer,
                       DetectorMetrics metrics) {
        this.model = model;
        this.strategy = strategy;
        this.windowSize = windowSize;
        this.normalLabels = Set.copyOf(model.normalLabels());
        this.frameSerializer = frameSerializer;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(Names.THRESHOLD_STORE);
        states.clear();
    }

    @Override
    public void process(Record<String, ScoredBatch> record) {
        ScoredBatch batch = record.value();
        Map<String, List<Integer>> bySource = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            bySource.computeIfAbsent(batch.frames().get(i).getFrame().getSourceId(), k -> new ArrayList<>()).add(i);
        }
        bySource.forEach((source, indices) -> judge(source, indices, batch));
    }

    private void judge(String source, List<Integer> indices, ScoredBatch batch) {
        long now = batch.scoredTime();
        ThresholdState state = states.computeIfAbsent(source, store::get);
        boolean stored = state != null;
        if (!stored) {
            state = ThresholdWindow.warmStart(source, model.calibrationScores(), windowSize, strategy, now);
        }
        double[] scores = new double[indices.size()];
        String[] labels = new String[indices.size()];
        for (int j = 0; j < scores.length; j++) {
            scores[j] = batch.scores().scores()[indices.get(j)];
            labels[j] = batch.frames().get(indices.get(j)).getFrame().getLabel();
        }
        ThresholdWindow.Judged judged = ThresholdWindow.judge(state, scores, labels, normalLabels, strategy, windowSize, now);
        for (int j = 0; j < scores.length; j++) {
            int i = indices.get(j);
            BufferedFrame b = batch.frames().get(i);
            ImageFrame f = b.getFrame();
            if (!Double.isFinite(scores[j])) {
                deadLetter(b, now, "frame " + f.getFrameId() + " from " + source + " scored " + scores[j]);
                continue;
            }
            boolean anomaly = judged.anomaly()[j];
            double threshold = judged.thresholds()[j];
            FrameScore score = FrameScore.newBuilder().setFrameId(f.getFrameId()).setSourceId(source).setCaptureTime(f.getCaptureTime())
                    .setScoredTime(Instant.ofEpochMilli(now)).setScore(scores[j]).setThreshold(threshold).setIsAnomaly(anomaly)
                    .setModelId(model.modelId()).setLabel(labels[j]).setAttributes(f.getAttributes()).setHeaders(b.getHeaders())
                    .setFrameTopic(b.getTopic()).setFramePartition(b.getPartition()).setFrameOffset(b.getOffset()).build();
            context.forward(new Record<Object, Object>(source, score, now), Names.SCORES_SINK);
            metrics.frameScored(source);
            if (anomaly) {
                context.forward(new Record<Object, Object>(source, event(b, batch, i, scores[j], threshold), now),
                        Names.ANOMALIES_SINK);
                metrics.anomaly(source);
            }
        }
        // an unchanged state (no normal score in this group) needs no write; a new source's warm start does
        if (judged.next() != state || !stored) {
            store.put(source, judged.next());
        }
        states.put(source, judged.next());
        metrics.threshold(source, judged.next().getThreshold());
    }

    private AnomalyEvent event(BufferedFrame b, ScoredBatch batch, int i, double score, double threshold) {
        ImageFrame f = b.getFrame();
        AnomalyEvent.Builder e = AnomalyEvent.newBuilder().setAttributes(f.getAttributes()).setHeaders(b.getHeaders())
                .setFrameTopic(b.getTopic()).setFramePartition(b.getPartition()).setFrameOffset(b.getOffset())
                .setFrameId(f.getFrameId()).setSourceId(f.getSourceId()).setCaptureTime(f.getCaptureTime())
                .setDetectionTime(Instant.ofEpochMilli(batch.scoredTime())).setScore(score).setThreshold(threshold)
                .setStrategy(strategy.name()).setSeverity(model.scoreFunction().severity(score, threshold))
                .setModelId(model.modelId()).setModelVersion(model.modelVersion()).setLabel(f.getLabel());
        if (batch.scores().errorMaps() != null) {
            float[] err = batch.scores().errorMap(i);
            e.setBbox(AnomalyRegion.boundingBox(err, model.width(), model.height()));
            e.setAnomalyMap(AnomalyRegion.png(err, model.width(), model.height()));
        }
        return e.build();
    }

    private void deadLetter(BufferedFrame b, long now, String why) {
        ImageFrame f = b.getFrame();
        metrics.deadLetter(Reason.NON_FINITE_SCORE);
        byte[] value = frameSerializer.serialize(null, f);
        context.forward(new Record<Object, Object>(f.getSourceId().getBytes(StandardCharsets.UTF_8), value, now,
                DeadLetter.headers(null, Reason.NON_FINITE_SCORE, why, null)), Names.DLQ_SINK);
    }
}
