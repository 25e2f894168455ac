package io.frameguard.topics;

import io.frameguard.avro.FrameScore;
import io.frameguard.evaluation.EvaluationResult;
import io.frameguard.evaluation.Evaluator;
import io.frameguard.evaluation.LabelledScores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads what a live detector emitted on the scores topic (committed records only) and judges it
 * against the frames' labels: the evaluation of the detector as it ran, moving thresholds included.
 */
public final class ScoreTopicReader {
    private ScoreTopicReader() {
    }

    /**
     * Reads committed records of {@code topic} (scores, or anomaly events) from the beginning until
     * {@code expected} are in or {@code timeout} passes.
     */
    public static <T> List<T> read(Properties clientConfig, String topic, Deserializer<T> de, long expected,
                                   Duration timeout) {
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = CommittedConsumer.open(clientConfig, topic, true)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> out.add(de.deserialize(topic, r.value())));
            }
        }
        return out;
    }

    /**
     * The detector's own verdicts against the labels; frames without a label are left out. The
     * reported threshold is the mean threshold the frames were judged by.
     */
    public static EvaluationResult evaluate(List<FrameScore> scores, List<String> normalLabels, String dataset,
                                            String strategy, Double scoredPerSecond) {
        List<FrameScore> labelled = scores.stream().filter(s -> s.getLabel() != null).toList();
        boolean[] flagged = new boolean[labelled.size()];
        double thresholdSum = 0;
        for (int i = 0; i < flagged.length; i++) {
            flagged[i] = labelled.get(i).getIsAnomaly();
            thresholdSum += labelled.get(i).getThreshold();
        }
        String model = labelled.isEmpty() ? "?" : labelled.get(0).getModelId();
        return Evaluator.evaluate(model, dataset, normalLabels, labelled(scores, normalLabels), flagged,
                strategy, labelled.isEmpty() ? Double.NaN : thresholdSum / labelled.size(),
                new EvaluationResult.Timings(null, scoredPerSecond));
    }

    /** The scores of the labelled frames with their labels, in order; frames without a label are left out. */
    public static LabelledScores labelled(List<FrameScore> scores, List<String> normalLabels) {
        List<FrameScore> l = scores.stream().filter(s -> s.getLabel() != null).toList();
        return LabelledScores.of(l.stream().map(FrameScore::getLabel).toArray(String[]::new),
                l.stream().mapToDouble(FrameScore::getScore).toArray(), normalLabels);
    }
}
