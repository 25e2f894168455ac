package io.frameguard.stream;

import io.frameguard.model.ScoreFunction;
import io.frameguard.model.Scorer.Scores;
import java.util.List;

/**
 * A stand-in model for topology rules: the score of a frame is its mean pixel value / 255 (minus
 * an offset, for scores below zero), so a test chooses each score by the pixels it sends. Records
 * every batch size it was called with.
 */
final class FakeScorer implements BatchScorer {
    static final int SIZE = 4;
    final List<Integer> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ScoreFunction function;
    private final double offset;
    private final double[] calibration;
    private final String id;

    FakeScorer(double... calibration) {
        this(ScoreFunction.MSE, 0, calibration);
    }

    FakeScorer(ScoreFunction function, double offset, double... calibration) {
        this("fake-model", function, offset, calibration);
    }

    FakeScorer(String id, ScoreFunction function, double offset, double... calibration) {
        this.id = id;
        this.function = function;
        this.offset = offset;
        this.calibration = calibration;
    }

    public ScoreFunction scoreFunction() {
        return function;
    }

    public String modelId() {
        return id;
    }

    public String modelVersion() {
        return "test";
    }

    public int width() {
        return SIZE;
    }

    public int height() {
        return SIZE;
    }

    public double[] calibrationScores() {
        return calibration;
    }

    public List<String> normalLabels() {
        return List.of("1");
    }

    public Scores score(byte[] pixels, int count, boolean withErrorMaps) {
        batches.add(count);
        int n = SIZE * SIZE;
        double[] s = new double[count];
        float[] maps = new float[count * n];
        for (int i = 0; i < count; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += pixels[i * n + j] & 0xff;
                maps[i * n + j] = (pixels[i * n + j] & 0xff) / 255f;
            }
            s[i] = pixels[i * n] == (byte) 0xEE ? Double.NaN : sum / n / 255.0 - offset;
        }
        return new Scores(s, withErrorMaps ? maps : null, n);
    }
}
