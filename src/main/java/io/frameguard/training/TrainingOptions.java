package io.frameguard.training;

import io.frameguard.FrameGuardException;

/**
 * How to run training, as opposed to what to build ({@link io.frameguard.model.ModelSpec}).
 *
 * @param epochs maximum epochs
 * @param batchSize minibatch size
 * @param validationFraction share of the normal training images held out for early stopping and calibration
 * @param patience epochs without validation improvement before stopping
 * @param showProgress draw a progress bar (only on a terminal)
 */
public record TrainingOptions(int epochs, int batchSize, double validationFraction, int patience,
                              boolean showProgress) {
    public TrainingOptions {
        if (epochs <= 0) {
            throw new FrameGuardException("epochs must be positive, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new FrameGuardException("batch size must be positive, got " + batchSize);
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new FrameGuardException("validation fraction must be in (0, 1), got " + validationFraction);
        }
        if (patience <= 0) {
            throw new FrameGuardException("patience must be positive, got " + patience);
        }
    }
}
