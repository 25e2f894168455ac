package io.frameguard.model;

import io.frameguard.dl4j.BlockLayout;
import io.frameguard.FrameGuardException;
import java.util.Arrays;
import java.util.List;

/** The autoencoder families of DESIGN.md, by their CLI names. */
public enum ModelFamily {
    /** Fully connected 784-256-128-z-128-256-784, ReLU, sigmoid output, MSE. */
    DENSE("dense", ScoreFunction.MSE),
    /** One hidden layer of 50 tanh units, sigmoid output, MSE, batch 64. */
    SHALLOW("shallow", ScoreFunction.MSE),
    /** Hourglass convolutional autoencoder with batch norm, MAE. */
    CONV("conv", ScoreFunction.MAE),
    /** {@link #CONV} trained to map x + N(0, σ²) back to x. */
    DENOISING("denoising", ScoreFunction.MAE),
    /** Reconstructs 28×28 from a 4× max-pooled 7×7 view. */
    SUPERRES("superres", ScoreFunction.MAE),
    /** Variational autoencoder scored by Monte-Carlo reconstruction probability. */
    VAE("vae", ScoreFunction.VAE_NLL);

    private final String cliName;
    private final ScoreFunction defaultScore;

    ModelFamily(String cliName, ScoreFunction defaultScore) {
        this.cliName = cliName;
        this.defaultScore = defaultScore;
    }

    public String cliName() {
        return cliName;
    }

    public ScoreFunction defaultScore() {
        return defaultScore;
    }

    public boolean convolutional() {
        return this == CONV || this == DENOISING || this == SUPERRES;
    }

    /** Whether the network is dense layers only ({@code dense}, {@code shallow}). */
    public boolean denseLayers() {
        return this == DENSE || this == SHALLOW;
    }

    /**
     * Whether the network is the half-resolution hourglass ({@link Architectures}), whose output is
     * each 2×2 pixel block as 4 channels ({@link BlockLayout}) and whose output bias starts at the
     * training images' mean pixel.
     */
    public boolean hourglass() {
        return this == CONV || this == DENOISING;
    }

    public static ModelFamily byName(String name) {
        return Arrays.stream(values()).filter(f -> f.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new FrameGuardException("unknown model family '" + name + "'; known: " + names()));
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ModelFamily::cliName).toList();
    }

    @Override
    public String toString() {
        return cliName;
    }
}
