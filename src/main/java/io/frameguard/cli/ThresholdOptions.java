package io.frameguard.cli;

import io.frameguard.threshold.ThresholdStrategy;
import picocli.CommandLine.Option;

/** {@code --threshold STRATEGY [--threshold-param X]}, computed on the bundle's held-out normal scores. */
final class ThresholdOptions {
    @Option(names = "--threshold", defaultValue = ThresholdStrategy.DEFAULT_NAME, paramLabel = "STRATEGY",
            description = ThresholdStrategy.STRATEGIES + "; default: ${DEFAULT-VALUE}.")
    String strategy;

    @Option(names = "--threshold-param", paramLabel = "X",
            description = ThresholdStrategy.PARAMETERS + ".")
    Double param;

    ThresholdStrategy strategy() {
        return ThresholdStrategy.of(strategy, param);
    }
}
