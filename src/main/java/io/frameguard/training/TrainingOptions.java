package io.frameguard.training;

import io.frameguard.FrameGuardException;
import io.frameguard.model.ModelFamily;

/**
 * How to run training, as opposed to what to build ({@link io.frameguard.model.ModelSpec}).
 *
 * @param epochs maximum epochs
 * @param batchSize minibatch size
 * @param validationFraction share of the normal training images held out for early stopping and calibration
 * @param patience epochs without validation improvement before stopping
 * @param showProgress draw a progress bar (only on a terminal)
 * @param workers threads that share each minibatch's gradient ({@link #dataParallel}); 1 trains on the calling thread
 */
public record TrainingOptions(int epochs, int batchSize, double validationFraction, int patience,
                              boolean showProgress, int workers) {
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
        if (workers <= 0) {
            throw new FrameGuardException("workers must be positive, got " + workers);
        }
    }

    /** One worker: training on the calling thread. */
    public TrainingOptions(int epochs, int batchSize, double validationFraction, int patience, boolean showProgress) {
        this(epochs, batchSize, validationFraction, patience, showProgress, 1);
    }

    /**
     * Whether a family's minibatches can be split across worker threads without changing the step:
     * the dense families. The conv families' batch normalization computes statistics per minibatch,
     * and the VAE trains by layer-wise pretraining; they train on one thread.
     */
    public static boolean dataParallel(ModelFamily family) {
        return family.denseLayers();
    }

    /**
     * The workers when none are given: for the {@linkplain #dataParallel dense families}, one per
     * core as long as each gets at least 64 rows of the minibatch (smaller parts use the gemm
     * poorly: at batch 128 two workers gained less than at 256, BENCHMARKS.md); else 1.
     */
    public static int defaultWorkers(ModelFamily family, int batchSize) {
        if (!dataParallel(family)) {
            return 1;
        }
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), batchSize / 64));
    }

    /** The minibatch size when none is given: 64 for the shallow autoencoder, 128 for the others. */
    public static int defaultBatchSize(ModelFamily family) {
        return family == ModelFamily.SHALLOW ? 64 : 128;
    }

    /**
     * The epoch budget a family trains within when none is given; early stopping on the held-out
     * normal images usually ends training sooner. The half-resolution conv hourglass trains in
     * seconds per epoch and was still improving at 20, so it gets 60; superres keeps its
     * full-resolution layers and 20.
     */
    public static int defaultEpochs(ModelFamily family) {
        return switch (family) {
            case CONV, DENOISING -> 60;
            case SUPERRES -> 20;
            default -> 40;
        };
    }
}
