package io.frameguard.threshold;

import io.frameguard.FrameGuardException;
import java.util.Arrays;
import java.util.List;

/**
 * Turns scores of normal images into a threshold; a score above the threshold is an anomaly.
 * Offline the normal scores are the bundle's held-out calibration scores, online a rolling window
 * of recent normal scores. Never the test set.
 */
public sealed interface ThresholdStrategy {

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
            return "max";
        }

        public double threshold(double[] s) {
            double max = Arrays.stream(requireScores(s)).max().orElseThrow();
            return max + Math.abs(max) * margin;
        }
    }

    /** Mean plus k population standard deviations. */
    record MeanStd(double k) implements ThresholdStrategy {
        public String name() {
            return "mean-std";
        }

        public double threshold(double[] s) {
            requireScores(s);
            double mean = Arrays.stream(s).average().orElseThrow();
            double var = Arrays.stream(s).map(x -> (x - mean) * (x - mean)).sum() / s.length;
            return mean + k * Math.sqrt(var);
        }
    }

    /** The q-quantile, linearly interpolated between order statistics. */
    record Quantile(double q) implements ThresholdStrategy {
        public Quantile {
            if (!(q >= 0 && q <= 1)) {
                throw new FrameGuardException("quantile must be in [0, 1], got " + q);
            }
        }

        public String name() {
            return "quantile";
        }

        public double threshold(double[] s) {
            double[] sorted = requireScores(s).clone();
            Arrays.sort(sorted);
            double pos = q * (sorted.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, sorted.length - 1);
            return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
        }
    }

    /** A fixed value, whatever the normal scores. */
    record Fixed(double value) implements ThresholdStrategy {
        public String name() {
            return "fixed";
        }

        public double threshold(double[] s) {
            return value;
        }
    }

    List<String> NAMES = List.of("max", "mean-std", "quantile", "fixed");

    /**
     * The strategy called {@code name} with its parameter: the margin of {@code max} (default 0),
     * k of {@code mean-std} (default 3), q of {@code quantile} (default 0.99), the value of
     * {@code fixed} (required).
     */
    static ThresholdStrategy of(String name, Double param) {
        return switch (name) {
            case "max" -> new Max(param == null ? 0 : param);
            case "mean-std" -> new MeanStd(param == null ? 3 : param);
            case "quantile" -> new Quantile(param == null ? 0.99 : param);
            case "fixed" -> {
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
