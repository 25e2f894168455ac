package io.frameguard.model;

import io.frameguard.FrameGuardException;

/**
 * The hyper-parameters that define a network before training. Stored in the bundle, so a bundle
 * says exactly what was built.
 *
 * @param family the model family
 * @param width input width in pixels
 * @param height input height in pixels
 * @param latentSize bottleneck size of {@code dense} and {@code vae}
 * @param channels feature maps of the convolutional families: outer and inner level
 * @param learningRate Adam learning rate
 * @param noiseStd standard deviation of the input noise of {@code denoising}
 * @param dropout share of inputs each hidden dense layer of {@code dense} and {@code shallow} drops
 *                while training (0: none); bundles written before it existed read as 0
 * @param vaeSamples Monte-Carlo samples per image for the VAE reconstruction probability
 * @param seed seed of weight initialisation, shuffling and noise
 */
public record ModelSpec(ModelFamily family, int width, int height, int latentSize, int[] channels,
                        double learningRate, double noiseStd, double dropout, int vaeSamples, long seed) {

    public ModelSpec {
        if (latentSize <= 0) {
            throw new FrameGuardException("latent size must be positive, got " + latentSize);
        }
        if (channels == null || channels.length != 2 || channels[0] <= 0 || channels[1] <= 0) {
            throw new FrameGuardException("channels must be two positive numbers (outer,inner)");
        }
        if (!(learningRate > 0)) {
            throw new FrameGuardException("learning rate must be positive, got " + learningRate);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new FrameGuardException("dropout must be in [0, 1), got " + dropout);
        }
        if (dropout > 0 && !family.denseLayers()) {
            throw new FrameGuardException("dropout applies to the dense and shallow families, not " + family);
        }
        if (family.convolutional() && (width % 4 != 0 || height % 4 != 0)) {
            throw new FrameGuardException(family + " needs an input size divisible by 4, got " + width + "x" + height);
        }
    }

    /** The published defaults for a family on 28×28 input. */
    public static ModelSpec defaults(ModelFamily family) {
        // conv and denoising keep 16 maps at both levels: their hourglass works at half resolution,
        // where 32 maps cost about twice the time (BENCHMARKS.md)
        int outer = family.hourglass() ? 16 : 32;
        return new ModelSpec(family, 28, 28, family == ModelFamily.VAE ? 16 : 32, new int[] {outer, 16},
                family == ModelFamily.VAE ? 1e-3 : 2e-3, 0.1, 0, 16, 42L);
    }

    public ModelSpec withSeed(long newSeed) {
        return new ModelSpec(family, width, height, latentSize, channels, learningRate, noiseStd, dropout, vaeSamples, newSeed);
    }

    public ModelSpec withLatentSize(int z) {
        return new ModelSpec(family, width, height, z, channels, learningRate, noiseStd, dropout, vaeSamples, seed);
    }

    public ModelSpec withLearningRate(double lr) {
        return new ModelSpec(family, width, height, latentSize, channels, lr, noiseStd, dropout, vaeSamples, seed);
    }

    public ModelSpec withChannels(int outer, int inner) {
        return new ModelSpec(family, width, height, latentSize, new int[] {outer, inner}, learningRate, noiseStd,
                dropout, vaeSamples, seed);
    }

    public ModelSpec withDropout(double p) {
        return new ModelSpec(family, width, height, latentSize, channels, learningRate, noiseStd, p, vaeSamples, seed);
    }

    public int inputSize() {
        return width * height;
    }
}
