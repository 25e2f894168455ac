package io.frameguard.model;

import io.frameguard.data.ImageSet;
import org.deeplearning4j.nn.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The one scoring code path: offline evaluation, replay and serving all call {@link #score}. One
 * batched forward pass per call; inputs are prepared by the bundle's {@link Preprocessing}.
 *
 * <p>Not thread-safe: a DL4J network keeps per-call state. Use one scorer per thread.
 */
public final class Scorer {
    private final MultiLayerNetwork network;
    private final Preprocessing preprocessing;
    private final ScoreFunction function;
    private final int vaeSamples;
    private INDArray input;

    public Scorer(ModelBundle bundle) {
        this.network = bundle.network();
        this.preprocessing = bundle.metadata().preprocessing();
        this.function = bundle.metadata().scoreFunction();
        this.vaeSamples = bundle.spec().vaeSamples();
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    public ScoreFunction function() {
        return function;
    }

    /** Scores images {@code first .. first+count-1} of a pixel array in one forward pass. */
    public double[] score(byte[] pixels, int first, int count) {
        return score(pixels, first, count, false).scores();
    }

    /**
     * Scores images {@code first .. first+count-1} of a pixel array, the bytes written straight into
     * an input matrix this scorer keeps and reuses for batches of the same size.
     */
    public Scores score(byte[] pixels, int first, int count, boolean withErrorMaps) {
        if (input == null || input.size(0) != count) {
            input = Nd4j.createUninitialized(DataType.FLOAT, count, preprocessing.pixelsPerImage());
        }
        return score(preprocessing.fill(input, pixels, first, count), withErrorMaps);
    }

    /** Scores a prepared {@code [n, pixels]} input matrix in one forward pass. */
    public double[] score(INDArray input) {
        return score(input, false).scores();
    }

    /**
     * Scores and, when {@code withErrorMaps}, the per-pixel |input − reconstruction| of each image
     * ({@code [n, pixels]}). The scores are the same numbers {@link #score(INDArray)} returns.
     */
    public Scores score(INDArray input, boolean withErrorMaps) {
        INDArray errors = null;
        INDArray scores;
        if (function == ScoreFunction.VAE_NLL) {
            scores = vae().reconstructionLogProbability(input, vaeSamples).negi();
            if (withErrorMaps) {
                errors = Transforms.abs(reconstruct(input).subi(input), false);
            }
        } else {
            INDArray diff = reconstruct(input).subi(input);
            if (withErrorMaps) {
                errors = Transforms.abs(diff, true);
            }
            scores = function == ScoreFunction.MSE ? diff.muli(diff).mean(1) : Transforms.abs(diff, false).mean(1);
        }
        return new Scores(scores.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector(), errors);
    }

    /**
     * Scores of a batch and, if asked for, the per-pixel absolute errors.
     *
     * @param scores one score per image
     * @param errorMaps {@code [n, pixels]} |input − reconstruction|, or null
     */
    public record Scores(double[] scores, INDArray errorMaps) {
        /** Image {@code i}'s error map as a row-major float array. */
        public float[] errorMap(int i) {
            return errorMaps.getRow(i).toFloatVector();
        }
    }

    /** Scores a whole set in batches of {@code batchSize}. */
    public double[] scoreAll(ImageSet images, int batchSize) {
        double[] out = new double[images.size()];
        for (int start = 0; start < images.size(); start += batchSize) {
            int n = Math.min(batchSize, images.size() - start);
            System.arraycopy(score(images.pixels(), start, n), 0, out, start, n);
        }
        return out;
    }

    /**
     * The reconstruction {@code [n, pixels]} of a prepared input: the network output, or for the
     * VAE the decoder mean at the encoder mean.
     */
    public INDArray reconstruct(INDArray input) {
        if (function == ScoreFunction.VAE_NLL) {
            VariationalAutoencoder vae = vae();
            INDArray z = vae.activate(input, false, LayerWorkspaceMgr.noWorkspaces());
            return vae.generateAtMeanGivenZ(z);
        }
        INDArray out = network.output(input, false);
        if (BlockLayout.isBlocks(out, preprocessing.pixelsPerImage())) {
            return BlockLayout.toImages(out);
        }
        return out.rank() == 2 ? out : out.reshape(out.size(0), preprocessing.pixelsPerImage());
    }

    private VariationalAutoencoder vae() {
        return (VariationalAutoencoder) network.getLayer(0);
    }
}
