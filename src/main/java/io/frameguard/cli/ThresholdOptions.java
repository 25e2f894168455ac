package io.frameguard.cli;

import io.frameguard.threshold.ThresholdStrategy;
import picocli.CommandLine.Option;

/** {@code --threshold STRATEGY [--threshold-param X]}, computed on the bundle's held-out normal scores. */
final class ThresholdOptions {
    @Option(names = "--threshold", defaultValue = "mean-std", paramLabel = "STRATEGY",
            description = "max, mean-std, quantile or fixed (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--threshold-param", paramLabel = "X",
            description = "max: margin (0); mean-std: k (3); quantile: q (0.99); fixed: the value.")
    Double param;

    ThresholdStrategy strategy() {
        return ThresholdStrategy.of(strategy, param);
    }
}
