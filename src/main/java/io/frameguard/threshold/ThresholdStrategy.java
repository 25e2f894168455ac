package io.frameguard.threshold;

import io.frameguard.FrameGuardException;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.numbers.arrays.Selection;

/**
 * Turns scores of normal images into a threshold; a score above the threshold is an anomaly.
 * Offline the normal scores are the bundle's held-out calibration scores, online a rolling window
 * of recent normal scores. Never the test set.
 *
 * <p>The one place that states the strategies' names, the default strategy, the parameters'
 * defaults and their docs: {@code threshold.strategy} and {@code threshold.param}
 * ({@code FrameGuardConfig}) and {@code --threshold} and {@code --threshold-param} (the CLI) take
 * theirs from the constants below. They are compile-time constants because picocli's annotations
 * accept nothing else.
 */
public sealed interface ThresholdStrategy {

    String MAX = "max";
    String MEAN_STD = "mean-std";
    String QUANTILE = "quantile";
    String FIXED = "fixed";

    /** Every strategy's name, in the order the docs list them. */
    List<String> NAMES = List.of(MAX, MEAN_STD, QUANTILE, FIXED);

    /** The strategy when none is named. */
    String DEFAULT_NAME = MEAN_STD;

    // whole numbers as ints, so that PARAMETERS reads "k (3)", not "k (3.0)"
    /** {@link Max}'s margin when none is given. */
    int DEFAULT_MARGIN = 0;
    /** {@link MeanStd}'s k when none is given. */
    int DEFAULT_K = 3;
    /** {@link Quantile}'s q when none is given. */
    double DEFAULT_Q = 0.99;

    /** What each strategy computes, a clause each. */
    String STRATEGIES = MAX + " (the largest normal score, raised by a margin), " + MEAN_STD
            + " (mean plus k standard deviations), " + QUANTILE + " (the q-quantile) or " + FIXED + " (a given value)";

    /** Each strategy's parameter and its default. */
    String PARAMETERS = MAX + ": margin (" + DEFAULT_MARGIN + "); " + MEAN_STD + ": k (" + DEFAULT_K + "); "
            + QUANTILE + ": q (" + DEFAULT_Q + "); " + FIXED + ": the threshold (required)";

    /** The strategy's name as on the command line and in JSON. */
    String name();

    /** The threshold for these normal scores (need not be sorted; not modified). */
    double threshold(double[] normalScores);

    /**
     * Largest normal score, raised by {@code margin} times its size: {@code max · (1 + margin)} for
     * the usual positive scores, and still above the max for scores below zero (log-mse).
     */
    record Max(double margin) implements ThresholdStrategy {
        public String name() {
            return MAX;
        }

        public double threshold(double[] s) {
            double max = Arrays.stream(requireScores(s)).max().orElseThrow();
            return max + Math.abs(max) * margin;
        }
    }

    /** Mean plus k population standard deviations. */
    record MeanStd(double k) implements ThresholdStrategy {
        public String name() {
            return MEAN_STD;
        }

        public double threshold(double[] s) {
            requireScores(s);
            double mean = compensatedSum(s, 0, false) / s.length;
            double var = compensatedSum(s, mean, true) / s.length;
            return mean + k * Math.sqrt(var);
        }
    }

    /**
     * The sum of {@code s}, or of its squared deviations from {@code mean}, compensated (Kahan) as
     * {@code DoubleStream.sum()} and {@code average()} sum, in a plain loop: the streams this
     * replaced were the largest cost of recomputing a threshold (ThresholdStrategyTest checks the
     * two agree to the bit).
     */
    private static double compensatedSum(double[] s, double mean, boolean deviations) {
        double sum = 0;
        double lost = 0; // what the last additions rounded away, to take back from the next
        double simple = 0; // the plain sum, which stays right where the compensated one becomes NaN
        for (double x : s) {
            double v = deviations ? (x - mean) * (x - mean) : x;
            double y = v - lost;
            double t = sum + y;
            lost = (t - sum) - y;
            sum = t;
            simple += v;
        }
        double total = sum - lost;
        return Double.isNaN(total) && Double.isInfinite(simple) ? simple : total;
    }

    /** The q-quantile, linearly interpolated between order statistics. */
    record Quantile(double q) implements ThresholdStrategy {
        public Quantile {
            if (!(q >= 0 && q <= 1)) {
                throw new FrameGuardException("quantile must be in [0, 1], got " + q);
            }
        }

        public String name() {
            return QUANTILE;
        }

        public double threshold(double[] s) {
            double[] a = requireScores(s).clone();
            double pos = q * (a.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, a.length - 1);
            // the two order statistics, as a sort would place them (same ordering), in linear time
            Selection.select(a, new int[] {lo, hi});
            return a[lo] + (pos - lo) * (a[hi] - a[lo]);
        }
    }

    /** A fixed value, whatever the normal scores. */
    record Fixed(double value) implements ThresholdStrategy {
        public String name() {
            return FIXED;
        }

        public double threshold(double[] s) {
            return value;
        }
    }

    /** The strategy called {@code name} with its parameter, or the parameter's default when null ({@link #PARAMETERS}). */
    static ThresholdStrategy of(String name, Double param) {
        return switch (name) {
            case MAX -> new Max(param == null ? DEFAULT_MARGIN : param);
            case MEAN_STD -> new MeanStd(param == null ? DEFAULT_K : param);
            case QUANTILE -> new Quantile(param == null ? DEFAULT_Q : param);
            case FIXED -> {
                if (param == null) {
                    throw new FrameGuardException("threshold strategy 'fixed' needs a value (--threshold-param)");
                }
                yield new Fixed(param);
            }
            default -> throw new FrameGuardException("unknown threshold strategy '" + name + "'; known: " + NAMES);
        };
    }

    private static double[] requireScores(double[] s) {
        if (s == null || s.length == 0) {
            throw new FrameGuardException("no normal scores to compute a threshold from");
        }
        return s;
    }
}
