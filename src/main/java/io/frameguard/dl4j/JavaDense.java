package io.frameguard.dl4j;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The dense families' forward pass in Java, on a copy of the weights ({@link DenseWeights}), where
 * ND4J's cost per operation is larger than the arithmetic: at batch 1 the dense autoencoder is about
 * 1 MFLOP, tens of microseconds, and {@link DenseForward}'s ~20 native operations per call cost
 * about half a millisecond around it; at batch 32 they still cost about half the call.
 *
 * <p>Two implementations: {@link VectorDense} on the JDK's Vector API for batches of any size, when
 * the JVM runs with {@code --add-modules jdk.incubator.vector} (as the tests do, and
 * {@code bin/frameguard} wherever the Java runtime has the module), and {@link SmallBatchDense} in
 * plain Java for batches of up to 8 images otherwise. {@code bench scoring --families dense}
 * measures the one in use.
 *
 * <p>Not thread-safe: an implementation keeps the arrays of its last call. One per scorer.
 */
public interface JavaDense {
    /** The name of the Java module {@link VectorDense} needs. */
    String VECTOR_MODULE = "jdk.incubator.vector";

    /** Up to this many images per call. */
    int maxBatch();

    /**
     * The network's outputs for {@code count} images, {@code x[0 .. count*inputs-1]}: the first
     * {@code count*outputs} floats of an array this object keeps and overwrites on its next call.
     */
    float[] output(float[] x, int count);

    /**
     * {@code x[i] = (pixels[from + i] & 0xff) · scale} for {@code i < length}: 8-bit pixels as the
     * network's input.
     */
    default void input(byte[] pixels, int from, int length, float scale, float[] x) {
        for (int i = 0; i < length; i++) {
            x[i] = (pixels[from + i] & 0xff) * scale;
        }
    }

    /**
     * How many images a caller should pass to {@link #output} at a time when it has more: the most
     * whose activations stay in the caches from layer to layer.
     */
    default int pass() {
        return maxBatch();
    }

    /**
     * For each of {@code count} images of {@code n} values, the sums over its values of the squared
     * error {@code (y − x)²}, the absolute error {@code |y − x|} and the input {@code x}, into
     * {@code sums[3j]}, {@code sums[3j+1]} and {@code sums[3j+2]} with {@code j = first + i}; and, when
     * {@code errors} is not null, {@code |y − x|} value by value into it from {@code errors[first·n]}.
     * What every score function of the dense families is made of; written here so that
     * {@link VectorDense} can do it a vector at a time.
     */
    default void errorSums(float[] x, float[] y, int count, int n, int first, double[] sums, float[] errors) {
        for (int i = 0; i < count; i++) {
            double squares = 0;
            double absolutes = 0;
            double ink = 0;
            for (int p = i * n; p < (i + 1) * n; p++) {
                float e = Math.abs(y[p] - x[p]);
                if (errors != null) {
                    errors[first * n + p] = e;
                }
                squares += (double) e * e;
                absolutes += e;
                ink += x[p];
            }
            sums[3 * (first + i)] = squares;
            sums[3 * (first + i) + 1] = absolutes;
            sums[3 * (first + i) + 2] = ink;
        }
    }

    /**
     * The Java forward pass for {@code network}, or null when {@link DenseWeights#of} does not take
     * it. The weights are copied: a network that is still being trained must not be scored through it.
     */
    static JavaDense of(MultiLayerNetwork network) {
        DenseWeights weights = DenseWeights.of(network);
        if (weights == null) {
            return null;
        }
        // VectorDense is only linked (and its Vector API classes resolved) when the module is there
        return vectorApi() ? VectorDense.of(weights) : new SmallBatchDense(weights);
    }

    /** Whether this JVM has the Vector API module, that is, runs with {@code --add-modules jdk.incubator.vector}. */
    static boolean vectorApi() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }
}
