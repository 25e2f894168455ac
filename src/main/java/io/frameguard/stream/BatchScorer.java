package io.frameguard.stream;

import io.frameguard.model.ScoreFunction;
import io.frameguard.model.Scorer.Scores;
import java.util.List;

/**
 * What the topology needs of a model: one batched forward pass over model-sized 8-bit gray
 * frames, the model's identity, and its held-out normal scores to start thresholds from.
 * Implementations are called from stream threads and must be safe for that.
 */
public interface BatchScorer {
    String modelId();

    String modelVersion();

    int width();

    int height();

    /** How the model's scores are made; an anomaly event's severity depends on it. */
    ScoreFunction scoreFunction();

    /** Held-out normal scores of the bundle (the threshold warm start). */
    double[] calibrationScores();

    /** Labels the model was trained as normal; a labelled frame updates its threshold only if normal. */
    List<String> normalLabels();

    /** Scores {@code count} frames laid out back to back in {@code pixels}. */
    Scores score(byte[] pixels, int count, boolean withErrorMaps);
}
