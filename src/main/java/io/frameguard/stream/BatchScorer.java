package io.frameguard.stream;

import io.frameguard.avro.ImageFrame;

import io.frameguard.model.ScoreFunction;
import io.frameguard.model.Scorer.Scores;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What the topology needs of a model: one batched forward pass over frames in model form (8-bit,
 * the model's size or, for inspection models, any size at least its tile), the model's identity, and
 * its held-out normal scores to start thresholds from.
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

    /**
     * The held-out normal scores as they would be for frames of {@code width × height}: the same as
     * {@link #calibrationScores()} for models of one frame size; for models of any frame size whose
     * score is a maximum over the map, scaled to the frame's area ({@link io.frameguard.model.Calibration#forArea}).
     */
    default double[] calibrationScores(int width, int height) {
        return calibrationScores();
    }

    /** Labels the model was trained as normal; a labelled frame updates its threshold only if normal. */
    List<String> normalLabels();

    /** Scores {@code count} frames laid out back to back in {@code pixels}. */
    Scores score(byte[] pixels, int count, boolean withErrorMaps);

    /**
     * Whether the model takes frames of any size at least {@link #width()} × {@link #height()}
     * (fully convolutional inspection models), rather than exactly that size.
     */
    default boolean anyFrameSize() {
        return false;
    }

    /** Image channels the model takes: 1 (gray; RGB frames are converted) or 3 (RGB). */
    default int channels() {
        return 1;
    }

    /**
     * Scores of a batch and, when asked for, each frame's anomaly map, made only for the frames that
     * ask (the anomalies), not copied for every frame of a batch.
     *
     * @param scores one per frame
     * @param maps frame {@code i}'s map, {@code width × height} of that frame, row-major; null when not asked for
     */
    record Judged(double[] scores, IntFunction<float[]> maps) {
        /** Frame {@code i}'s map, or null when maps were not asked for. */
        public float[] map(int i) {
            return maps == null ? null : maps.apply(i);
        }
    }

    /**
     * Scores frames in model form ({@link FrameValidator#normalize}). This default lays same-sized
     * frames back to back for {@link #score(byte[], int, boolean)}.
     */
    default Judged score(List<ImageFrame> frames, boolean withMaps) {
        int n = width() * height();
        byte[] pixels = new byte[frames.size() * n];
        for (int i = 0; i < frames.size(); i++) {
            frames.get(i).getPixels().duplicate().get(pixels, i * n, n);
        }
        Scores s = score(pixels, frames.size(), withMaps);
        return new Judged(s.scores(), s.errorMaps() == null ? null : s::errorMap);
    }
}
