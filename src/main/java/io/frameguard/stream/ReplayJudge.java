package io.frameguard.stream;

import io.frameguard.avro.ImageFrame;
import io.frameguard.avro.ThresholdState;
import io.frameguard.evaluation.Verdicts;
import io.frameguard.threshold.ThresholdStrategy;
import io.frameguard.threshold.ThresholdWindow;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The detector's scoring and threshold logic over recorded frames, without Kafka Streams: frames
 * are scored in batches of {@code batchSize} in record order and judged per source exactly as the
 * {@code thresholds} processor judges a batch (same {@link ThresholdWindow} code, same warm start).
 * Live batch boundaries depend on timing (linger), so thresholds can differ slightly from what the
 * live detector used; the scores are the same up to float rounding (see {@link ThresholdWindow#REFRESH_EVERY}).
 */
public final class ReplayJudge {
    private final BatchScorer scorer;
    private final ThresholdStrategy strategy;
    private final int windowSize;
    private final int batchSize;
    private final boolean trustLabels;

    /** {@code trustLabels}: as {@code threshold.trust.labels}, whether labelled normal frames join the window. */
    public ReplayJudge(BatchScorer scorer, ThresholdStrategy strategy, int windowSize, int batchSize, boolean trustLabels) {
        this.scorer = scorer;
        this.trustLabels = trustLabels;
        this.strategy = strategy;
        this.windowSize = windowSize;
        this.batchSize = batchSize;
    }

    /**
     * The verdict on each frame, in the order given, with the frames' ids and labels.
     * {@code frames} must already be in model form ({@link FrameValidator#normalize}).
     */
    public Verdicts run(List<ImageFrame> frames) {
        int n = frames.size();
        double[] scores = new double[n];
        double[] thresholds = new double[n];
        boolean[] anomaly = new boolean[n];
        Map<String, ThresholdState> states = new HashMap<>();
        Set<String> normal = Set.copyOf(scorer.normalLabels());
        for (int from = 0; from < n; from += batchSize) {
            final int start = from;
            int count = Math.min(batchSize, n - start);
            BatchScorer.Judged s = scorer.score(frames.subList(start, start + count), false);
            Map<String, List<Integer>> bySource = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                bySource.computeIfAbsent(frames.get(start + i).getSourceId(), k -> new java.util.ArrayList<>()).add(i);
            }
            for (var e : bySource.entrySet()) {
                List<Integer> idx = e.getValue();
                ImageFrame first = frames.get(start + idx.get(0));
                ThresholdState state = states.computeIfAbsent(e.getKey(), src -> ThresholdWindow.warmStart(scorer.modelId(), src,
                        scorer.calibrationScores(first.getWidth(), first.getHeight()), windowSize, strategy, 0L));
                double[] sc = idx.stream().mapToDouble(i -> s.scores()[i]).toArray();
                String[] labels = idx.stream().map(i -> trustLabels ? frames.get(start + i).getLabel() : null)
                        .toArray(String[]::new);
                ThresholdWindow.Judged j = ThresholdWindow.judge(state, sc, labels, normal, strategy, windowSize, 0L);
                states.put(e.getKey(), j.next());
                for (int k = 0; k < idx.size(); k++) {
                    int at = start + idx.get(k);
                    scores[at] = sc[k];
                    thresholds[at] = j.thresholds()[k];
                    anomaly[at] = j.anomaly()[k];
                }
            }
        }
        return new Verdicts(frames.stream().map(ImageFrame::getFrameId).toArray(String[]::new),
                frames.stream().map(ImageFrame::getLabel).toArray(String[]::new), scores, thresholds, anomaly);
    }
}
