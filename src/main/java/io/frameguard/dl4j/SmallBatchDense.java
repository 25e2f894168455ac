package io.frameguard.dl4j;

import java.util.List;

/**
 * {@link JavaDense} in plain Java, for batches of up to {@link #MAX_BATCH} images: the path when
 * the JVM runs without the Vector API module. Each layer is one loop the JIT vectorises,
 * {@code y += x[k] · W[k, ·]} over the rows of W, skipping the zero inputs (most of a digit's
 * pixels, and every unit a ReLU switched off). From about 16 images on, ND4J's gemm wins.
 */
public final class SmallBatchDense implements JavaDense {
    /** Up to this many images per call. */
    public static final int MAX_BATCH = 8;

    /** A layer: {@code rows[k]} is row k of W (the weights from input k), each an array of its own. */
    private record Step(float[][] rows, float[] bias, int in, int out, DenseWeights.Act act) {
    }

    private final Step[] steps;
    private final int inputs;
    private final int outputs;
    private float[] y = new float[0];

    SmallBatchDense(DenseWeights weights) {
        List<DenseWeights.Layer> layers = weights.layers();
        this.steps = new Step[layers.size()];
        for (int l = 0; l < steps.length; l++) {
            DenseWeights.Layer layer = layers.get(l);
            float[][] rows = new float[layer.in()][];
            for (int k = 0; k < layer.in(); k++) {
                rows[k] = java.util.Arrays.copyOfRange(layer.weights(), k * layer.out(), (k + 1) * layer.out());
            }
            steps[l] = new Step(rows, layer.bias(), layer.in(), layer.out(), layer.act());
        }
        this.inputs = weights.inputs();
        this.outputs = weights.outputs();
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH;
    }

    @Override
    public float[] output(float[] x, int count) {
        if (count > MAX_BATCH) {
            throw new IllegalArgumentException(count + " images: at most " + MAX_BATCH + " per call");
        }
        if (y.length < count * outputs) {
            y = new float[MAX_BATCH * outputs];
        }
        for (int i = 0; i < count; i++) {
            output(x, i * inputs, y, i * outputs);
        }
        return y;
    }

    private void output(float[] x, int from, float[] y, int to) {
        float[] in = x;
        int inAt = from;
        for (Step step : steps) {
            int n = step.out();
            // the product goes to an array of its own, and each weight row is one too: the loop below
            // is then the plain a[j] += s * b[j] that C2 turns into vector instructions (with a row
            // offset, b[r + j], it stayed scalar: 3 GFLOP/s against 12 on the AMD EPYC of BENCHMARKS.md)
            float[] out = step.bias().clone();
            float[][] rows = step.rows();
            for (int k = 0; k < step.in(); k++) {
                float xk = in[inAt + k];
                if (xk != 0f) {
                    saxpy(xk, rows[k], out, n);
                }
            }
            step.act().apply(out, 0, n);
            in = out;
            inAt = 0;
        }
        System.arraycopy(in, 0, y, to, outputs);
    }

    private static void saxpy(float a, float[] row, float[] out, int n) {
        for (int j = 0; j < n; j++) {
            out[j] += a * row[j];
        }
    }
}
