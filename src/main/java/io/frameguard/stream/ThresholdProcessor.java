package io.frameguard.stream;

import io.frameguard.threshold.ThresholdWindow;
import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.BoundingBox;
import io.frameguard.avro.BufferedFrame;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.avro.ThresholdState;
import io.frameguard.threshold.ThresholdStrategy;
import io.frameguard.stream.DeadLetter.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.PunctuationType;
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
 * mirror ({@link SourceStates}), filled from the store the first time each source turns up again. A
 * store read deserialises the whole window (a thousand doubles), and with small batches (low
 * {@code linger.ms}) that happened hundreds of times a second per source. The store is cached, so
 * between two commits a source's state reaches the changelog once, not once per batch.
 *
 * <p>Sources are bounded: past the instance's {@code max.sources} a source gets no state and its
 * frames are judged by the bundle's calibration threshold, which never learns; a source idle for
 * {@code source.idle.expiry.ms} leaves the store, the mirror and the metrics (a wall-clock
 * punctuator). Labels move thresholds only with {@code threshold.trust.labels}.
 *
 * <p>The same processor judges for a shadow model ({@link Outputs#SHADOW}): the verdicts a candidate
 * would give, on the same frames, with its own thresholds, that nobody is alerted by.
 */
final class ThresholdProcessor implements Processor<String, ScoredBatch, Object, Object> {
    private final BatchScorer model;
    private final ThresholdStrategy strategy;
    private final int windowSize;
    private final Serializer<ImageFrame> frameSerializer;
    private final DetectorMetrics metrics;
    private final Sources sources;
    private final Outputs outputs;
    private ProcessorContext<Object, Object> context;
    private SourceStates states;
    /**
     * Per model and frame size, the threshold of sources past max.sources: the bundle's calibration,
     * never updated. Emptied when it holds {@value #MAX_SHARED} (frame sizes come from producers).
     */
    private final Map<String, Double> sharedThresholds = new HashMap<>();
    private static final int MAX_SHARED = 64;

    /** How sources are bounded and whether their labels are trusted: see the config keys of the same names. */
    record Sources(SourceLimit limit, long idleExpiryMs, boolean trustLabels) {
    }

    /**
     * Whose verdicts these are. The live model's: judged on the batcher's scores, to the scores and
     * anomalies topics, with metrics and dead letters. A shadow model's: the batch scored again by the
     * shadow, judged against its own states in a store of its own, to its own scores topic only.
     */
    record Outputs(String store, String scoresSink, String anomaliesSink, boolean rescore) {
        static final Outputs LIVE = new Outputs(Names.THRESHOLD_STORE, Names.SCORES_SINK, Names.ANOMALIES_SINK, false);
        static final Outputs SHADOW = new Outputs(Names.SHADOW_THRESHOLD_STORE, Names.SHADOW_SCORES_SINK, null, true);

        boolean live() {
            return anomaliesSink != null;
        }
    }

    ThresholdProcessor(BatchScorer model, ThresholdStrategy strategy, int windowSize, Serializer<ImageFrame> frameSerializer,
                       DetectorMetrics metrics, Sources sources) {
        this(model, strategy, windowSize, frameSerializer, metrics, sources, Outputs.LIVE);
    }

    ThresholdProcessor(BatchScorer model, ThresholdStrategy strategy, int windowSize, Serializer<ImageFrame> frameSerializer,
                       DetectorMetrics metrics, Sources sources, Outputs outputs) {
        this.outputs = outputs;
        this.model = model;
        this.strategy = strategy;
        this.windowSize = windowSize;
        this.frameSerializer = frameSerializer;
        this.metrics = metrics;
        this.sources = sources;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        long now = context.currentSystemTimeMs();
        KeyValueStore<String, ThresholdState> store = context.getStateStore(outputs.store());
        states = new SourceStates(store, sources.limit(), sources.idleExpiryMs(), now);
        long every = Math.max(100, Math.min(60_000, sources.idleExpiryMs() / 10));
        context.schedule(Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME, this::expireIdleSources);
    }

    private void expireIdleSources(long now) {
        for (String source : states.expire(now)) {
            metrics.sourceExpired(source);
        }
    }

    @Override
    public void close() {
        if (states != null) {
            states.close();
        }
    }

    /** The calibration threshold of {@code modelId} for frames of {@code f}'s size, for sources past max.sources. */
    private double sharedThreshold(String modelId, ImageFrame f, long now) {
        String key = modelId + "@" + f.getWidth() + "x" + f.getHeight();
        Double t = sharedThresholds.get(key);
        if (t == null) {
            if (sharedThresholds.size() >= MAX_SHARED) {
                sharedThresholds.clear();
            }
            t = ThresholdWindow.warmStart(modelId, "", model.calibrationScores(f.getWidth(), f.getHeight()), windowSize, strategy,
                    now).getThreshold();
            sharedThresholds.put(key, t);
        }
        return t;
    }

    @Override
    public void process(Record<String, ScoredBatch> record) {
        ScoredBatch batch = outputs.rescore() ? rescored(record.value()) : record.value();
        Map<String, List<Integer>> bySource = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            bySource.computeIfAbsent(batch.frames().get(i).getFrame().getSourceId(), k -> new ArrayList<>()).add(i);
        }
        bySource.forEach((source, indices) -> judge(source, indices, batch));
    }

    /** The batcher's frames scored by this judge's own model (a shadow's). */
    private ScoredBatch rescored(ScoredBatch batch) {
        List<ImageFrame> frames = batch.frames().stream().map(BufferedFrame::getFrame).toList();
        return new ScoredBatch(batch.frames(), model.score(frames, false), batch.scoredTime());
    }

    private void judge(String source, List<Integer> indices, ScoredBatch batch) {
        long now = batch.scoredTime();
        // the model that scored this batch (a LiveModel may switch between batches, never within one)
        String modelId = model.modelId();
        String key = Names.thresholdKey(modelId, source);
        ThresholdState state = states.get(key);
        boolean stored = state != null;
        boolean own = stored || states.admit(source);
        // a source's thresholds start from the calibration at the size of its first frame (inspection
        // models' scores grow with the frame's area; other models take one size)
        ImageFrame first = batch.frames().get(indices.get(0)).getFrame();
        if (!stored && own) {
            state = ThresholdWindow.warmStart(modelId, source, model.calibrationScores(first.getWidth(), first.getHeight()),
                    windowSize, strategy, now);
        }
        double[] scores = new double[indices.size()];
        String[] labels = new String[indices.size()];
        for (int j = 0; j < scores.length; j++) {
            scores[j] = batch.scores().scores()[indices.get(j)];
            labels[j] = batch.frames().get(indices.get(j)).getFrame().getLabel();
        }
        ThresholdWindow.Judged judged = own
                ? ThresholdWindow.judge(state, scores, sources.trustLabels() ? labels : new String[scores.length],
                        Set.copyOf(model.normalLabels()), strategy, windowSize, now)
                : ThresholdWindow.judgeFixed(indices.stream().mapToDouble(i -> sharedThreshold(modelId,
                        batch.frames().get(i).getFrame(), now)).toArray(), scores);
        String series = own ? source : DetectorMetrics.OTHER_SOURCES;
        for (int j = 0; j < scores.length; j++) {
            int i = indices.get(j);
            BufferedFrame b = batch.frames().get(i);
            ImageFrame f = b.getFrame();
            if (!Double.isFinite(scores[j])) {
                if (outputs.live()) {   // a shadow's failure is its own: the frame was judged by the live model
                    deadLetter(b, now, "frame " + f.getFrameId() + " from " + source + " scored " + scores[j]);
                }
                continue;
            }
            boolean anomaly = judged.anomaly()[j];
            double threshold = judged.thresholds()[j];
            FrameScore score = FrameScore.newBuilder().setFrameId(f.getFrameId()).setSourceId(source).setCaptureTime(f.getCaptureTime())
                    .setScoredTime(Instant.ofEpochMilli(now)).setScore(scores[j]).setThreshold(threshold).setIsAnomaly(anomaly)
                    .setModelId(modelId).setLabel(labels[j]).setAttributes(f.getAttributes()).setHeaders(b.getHeaders())
                    .setFrameTopic(b.getTopic()).setFramePartition(b.getPartition()).setFrameOffset(b.getOffset()).build();
            context.forward(new Record<Object, Object>(source, score, now), outputs.scoresSink());
            metrics.frameScored(series);
            if (anomaly && outputs.live()) {
                context.forward(new Record<Object, Object>(source, event(b, batch, i, scores[j], threshold), now),
                        Names.ANOMALIES_SINK);
                metrics.anomaly(series);
            }
        }
        if (!own) {
            return;
        }
        // an unchanged state (no normal score in this group) needs no write; a new source's warm start does
        states.put(key, judged.next(), judged.next() != state || !stored, now);
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
        float[] map = batch.scores().map(i);
        if (map != null) {
            List<BoundingBox> regions = AnomalyRegion.regions(map, f.getWidth(), f.getHeight());
            e.setRegions(regions);
            e.setBbox(regions.isEmpty() ? null : regions.get(0));
            e.setFrameWidth(f.getWidth()).setFrameHeight(f.getHeight());
            e.setAnomalyMap(AnomalyRegion.png(map, f.getWidth(), f.getHeight()));
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
