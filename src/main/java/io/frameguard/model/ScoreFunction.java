package io.frameguard.model;

import io.frameguard.FrameGuardException;
import java.util.Arrays;
import java.util.List;

/** How a reconstruction becomes one anomaly score per image; higher means less normal. */
public enum ScoreFunction {
    /** Mean squared pixel error. */
    MSE("mse"),
    /** Mean absolute pixel error. */
    MAE("mae"),
    /**
     * Natural log of the mean squared pixel error plus {@value #LOG_MSE_FLOOR}: the same ranking as
     * {@link #MSE}, on a scale that suits a mean + k·std threshold. The squared errors of a good
     * model are skewed far to the right (their std is about their mean or more), so μ+3σ of plain
     * MSE leaves 2–3 % of held-out normal images above it (digit-1-vs-rest, README); their logs are
     * much less skewed. The floor, below the square of one 8-bit grey level (1.5e-5), keeps a
     * perfect reconstruction finite. Scores are negative.
     */
    LOG_MSE("log-mse"),
    /**
     * Squared error per unit of ink: {@code Σ(x − x̂)² / (Σx + 1)}, pixels in [0, 1]. Plain error
     * grows with the amount of ink, so a model of a busy digit (an 8) finds a sparse one (a 1)
     * easy to reconstruct and calls it normal; dividing by the ink removes that bias. The {@code + 1}
     * keeps a blank frame finite.
     */
    MSE_PER_INK("mse-per-ink"),
    /** Negative log-probability of the image under the VAE's decoder, Monte-Carlo estimated. */
    VAE_NLL("vae-nll"),
    /**
     * Mean Euclidean distance from the VAE encoder's mean code to its {@value #KNN_NEIGHBOURS}
     * nearest codes of the training images, which the bundle keeps. Reconstruction probability
     * calls simple images (a 1) likely whatever the model was trained on; distance in code space
     * asks whether the model has seen images like this one.
     */
    LATENT_KNN("latent-knn"),
    /**
     * The largest value of an inspection model's defect-probability map after a mean filter whose
     * size the bundle records (chosen on validation defects): one stray pixel does not make an
     * anomaly, a small defect does. In [0, 1].
     */
    ANOMALY_MAP("anomaly-map");

    /** Neighbours averaged by {@link #LATENT_KNN}: the best of 1, 5 and 20 on held-out training images. */
    public static final int KNN_NEIGHBOURS = 5;

    /** What {@link #LOG_MSE} adds to the mean squared error before taking the log. */
    public static final double LOG_MSE_FLOOR = 1e-6;

    private final String cliName;

    ScoreFunction(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether this scores a VAE (by its decoder or its encoder) rather than a reconstruction's error. */
    public boolean scoresVae() {
        return this == VAE_NLL || this == LATENT_KNN;
    }

    /** Whether a model of {@code family} can be scored this way: the VAE's two, the others' four; anomaly-map is the inspection models' own. */
    public boolean appliesTo(ModelFamily family) {
        return this != ANOMALY_MAP && scoresVae() == (family == ModelFamily.VAE);
    }

    /**
     * How far past {@code threshold} a score is, as a ratio: {@code score / threshold} for the
     * errors and distances, which are non-negative; for {@link #LOG_MSE}, {@code exp(score −
     * threshold)}, the same ratio of the squared errors (each plus the floor) that a log scale hides.
     * Infinite when a non-negative score has a threshold of zero or less.
     */
    public double severity(double score, double threshold) {
        if (this == LOG_MSE) {
            return Math.exp(score - threshold);
        }
        return threshold > 0 ? score / threshold : Double.POSITIVE_INFINITY;
    }

    /** Whether the bundle must keep the training images' codes. */
    public boolean needsReferenceCodes() {
        return this == LATENT_KNN;
    }

    public static ScoreFunction byName(String name) {
        return Arrays.stream(values()).filter(f -> f.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new FrameGuardException("unknown score function '" + name + "'; known: " + names()));
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ScoreFunction::cliName).toList();
    }

    @Override
    public String toString() {
        return cliName;
    }
}
