package io.frameguard.dl4j;

import java.util.List;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link JavaDense} on the JDK's Vector API ({@code jdk.incubator.vector}), for batches of any size.
 *
 * <p>Each layer is {@code Y = act(X·W + b)} with X {@code [n, in]}, W {@code [in, out]} and Y
 * {@code [n, out]}, all row-major, and a batch goes through all the layers {@link #CHUNK} images at a
 * time. The product runs in register blocks of 12 images × 2 vectors of outputs (32 floats with
 * AVX-512): 24 accumulators that stay in registers over the whole sum, each step 2 loads of W (which
 * comes from the second-level cache), 12 broadcasts of X (from the first) and 24 fused multiply-adds;
 * the bias starts the sums and a ReLU clamps them as they are stored. W is read from a copy cut into
 * strips two vectors wide, each {@code [in, 2 vectors]} in row-major order, so that a block reads its
 * strip in order rather than a row of W every {@code out} floats. Fourteen images (28 accumulators)
 * no longer fit the 32 vector registers: C2 spills them and the product slowed by 12–19 %. The rest
 * runs in narrower blocks: 8 × 2 for 8 to 11 images left over, 4 images × 4 vectors for 4 to 7,
 * 4 × 1 for output columns past the last pair of vectors, and the last 1 to 3 images one at a time,
 * row by row of W, skipping their zero inputs. The sums are ND4J's in another order: outputs agree to
 * about 1e-6 ({@code JavaDenseTest}).
 *
 * <p>The blocks are written out accumulator by accumulator, not as arrays of vectors or through
 * helper methods: C2 keeps a vector in a register only while it is a local variable of the
 * compiled method; one stored in an array or passed to a method it does not inline is boxed, and
 * the Vector API then runs about a hundred times slower.
 *
 * <p>On the AMD EPYC of BENCHMARKS.md this runs the dense autoencoder at 165–178 GFLOP/s on one
 * thread at batch 32 and 256 (76–84 % of the core's peak, pixels' conversion and score included),
 * where ND4J's path reached 29–81 and PyTorch's 60–93.
 *
 * <p>Made only through {@link JavaDense#of}, which checks that the module is there: this class
 * cannot be linked without it. Not thread-safe: it keeps each layer's output array.
 */
final class VectorDense implements JavaDense {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    /** As many bytes as {@link #S} has floats; null where that is fewer than the narrowest byte vector's 8 (SSE only). */
    private static final VectorSpecies<Byte> PIXELS = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * Byte.SIZE)) : null;
    /**
     * Images per pass through all the layers ({@link #pass()}). With the earlier blocks of 8 images,
     * batches of 256 in one pass ran at about 104,000 images/s, in passes of 32 at about 130,000 (one
     * thread, on BENCHMARKS.md's AMD EPYC): the activations of 32 images stay in the caches from
     * layer to layer. Passes of 24, 36 and 64 did not differ from 32 by more than that host's noise.
     */
    static final int CHUNK = 32;

    private final DenseWeights.Layer[] layers;
    /** Each layer's W cut into strips of 2 vectors of columns ({@link #strips(DenseWeights.Layer)}). */
    private final float[][] strips;
    /** Each layer's output for {@link #CHUNK} images (the last layer's is unused: it writes to {@link #result}). */
    private final float[][] activations;
    private float[] result = new float[0];

    private VectorDense(DenseWeights weights) {
        List<DenseWeights.Layer> list = weights.layers();
        this.layers = list.toArray(new DenseWeights.Layer[0]);
        this.activations = new float[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            activations[l] = new float[CHUNK * layers[l].out()];
        }
        this.strips = new float[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            strips[l] = strips(layers[l]);
        }
    }

    /**
     * The columns of {@code layer}'s W that fill whole pairs of vectors, strip after strip: strip
     * {@code s} holds columns {@code 2Ls .. 2Ls+2L-1} of every row, {@code [in, 2L]} row-major, from
     * index {@code 2Ls·in}. The columns past the last pair are read from W itself.
     */
    static float[] strips(DenseWeights.Layer layer) {
        int in = layer.in();
        int n = layer.out();
        int pairs = n / (2 * L);
        float[] strips = new float[pairs * 2 * L * in];
        for (int s = 0; s < pairs; s++) {
            for (int k = 0; k < in; k++) {
                System.arraycopy(layer.weights(), k * n + s * 2 * L, strips, (s * in + k) * 2 * L, 2 * L);
            }
        }
        return strips;
    }

    static JavaDense of(DenseWeights weights) {
        return new VectorDense(weights);
    }

    @Override
    public int maxBatch() {
        return Integer.MAX_VALUE;
    }

    @Override
    public float[] output(float[] x, int count) {
        int inputs = layers[0].in();
        int outputs = layers[layers.length - 1].out();
        if (result.length < count * outputs) {
            result = new float[count * outputs];
        }
        // CHUNK images at a time through every layer: their activations stay in the caches
        for (int start = 0; start < count; start += CHUNK) {
            int rows = Math.min(CHUNK, count - start);
            float[] in = x;
            int inBase = start * inputs;
            for (int l = 0; l < layers.length; l++) {
                DenseWeights.Layer layer = layers[l];
                boolean last = l == layers.length - 1;
                float[] out = last ? result : activations[l];
                int outBase = last ? start * outputs : 0;
                int size = rows * layer.out();
                boolean relu = layer.act() == DenseWeights.Act.RELU;
                layer(in, inBase, rows, layer.in(), layer.weights(), strips[l], layer.out(), layer.bias(), out, outBase, relu);
                if (layer.act() == DenseWeights.Act.SIGMOID) {
                    sigmoid(out, outBase, size);
                } else if (!relu) {
                    layer.act().apply(out, outBase, size);
                }
                in = out;
                inBase = outBase;
            }
        }
        return result;
    }

    /**
     * {@link JavaDense#input} a vector at a time: {@code L} pixels widened to floats at once, where the
     * plain loop took about a twentieth of a batch's time through the digits' network. The widening
     * is signed, so 256 is added to the lanes it left negative.
     */
    @Override
    public void input(byte[] pixels, int from, int length, float scale, float[] x) {
        int i = 0;
        for (; PIXELS != null && i + L <= length; i += L) {
            FloatVector f = (FloatVector) ByteVector.fromArray(PIXELS, pixels, from + i).convertShape(VectorOperators.B2F, S, 0);
            f.add(256f, f.compare(VectorOperators.LT, 0f)).mul(scale).intoArray(x, i);
        }
        for (; i < length; i++) {
            x[i] = (pixels[from + i] & 0xff) * scale;
        }
    }

    /**
     * {@link JavaDense#errorSums} a vector at a time: each lane sums every {@code L}-th value in
     * float, and the lanes are added at the end, where the default adds value after value in double,
     * one chain of dependent additions as long as the image: about a tenth of a batch's time through
     * the digits' network ({@code bench scoring}, batch 256, one thread: 154,186 images/s with the
     * default, 171,947 with this). Sums agree to about 1e-6 of their size.
     */
    @Override
    public void errorSums(float[] x, float[] y, int count, int n, int first, double[] sums, float[] errors) {
        int vectors = n - n % L;
        int shift = first * n;
        for (int i = 0; i < count; i++) {
            int base = i * n;
            FloatVector squares = FloatVector.zero(S);
            FloatVector absolutes = FloatVector.zero(S);
            FloatVector ink = FloatVector.zero(S);
            for (int p = base; p < base + vectors; p += L) {
                FloatVector xv = FloatVector.fromArray(S, x, p);
                FloatVector e = FloatVector.fromArray(S, y, p).sub(xv).abs();
                if (errors != null) {
                    e.intoArray(errors, shift + p);
                }
                squares = e.fma(e, squares);
                absolutes = absolutes.add(e);
                ink = ink.add(xv);
            }
            double sq = squares.reduceLanes(VectorOperators.ADD);
            double ab = absolutes.reduceLanes(VectorOperators.ADD);
            double in = ink.reduceLanes(VectorOperators.ADD);
            for (int p = base + vectors; p < base + n; p++) {
                float e = Math.abs(y[p] - x[p]);
                if (errors != null) {
                    errors[shift + p] = e;
                }
                sq += (double) e * e;
                ab += e;
                in += x[p];
            }
            sums[3 * (first + i)] = sq;
            sums[3 * (first + i) + 1] = ab;
            sums[3 * (first + i) + 2] = in;
        }
    }

    @Override
    public int pass() {
        return CHUNK;
    }

    /**
     * The logistic function {@code 1 / (1 + e^-v)} in place on {@code v[from .. from+size-1]}: the
     * dense autoencoder's output layer. On the vector exponential, which agrees with a loop of
     * {@link Math#exp} to {@code JavaDenseTest}'s 1e-5; that loop took a third as long as the products.
     */
    private static void sigmoid(float[] v, int from, int size) {
        int end = from + size;
        int i = from;
        for (; i + L <= end; i += L) {
            FloatVector e = FloatVector.fromArray(S, v, i).neg().lanewise(VectorOperators.EXP);
            ONE.div(e.add(1f)).intoArray(v, i);
        }
        DenseWeights.Act.SIGMOID.apply(v, i, end - i);
    }

    /**
     * {@code y[m, n] = x[m, kk] · w[kk, n] + b}, the ReLU applied where {@code relu}; X starts at
     * {@code x[xBase]} and Y at {@code y[yBase]}; {@code strips} is W cut as {@link #strips} does.
     */
    private static void layer(float[] x, int xBase, int m, int kk, float[] w, float[] strips, int n, float[] b, float[] y, int yBase,
                              boolean relu) {
        int vectors = n - n % L;
        int pairs = vectors - vectors % (2 * L);
        int i = 0;
        for (; i + 12 <= m; i += 12) {
            for (int j = 0; j < pairs; j += 2 * L) {
                block12x2(x, xBase + i * kk, kk, strips, j * kk, b, j, y, yBase + i * n + j, n, relu);
            }
            for (int r = i; r < i + 12; r += 4) {
                leftovers(x, xBase + r * kk, kk, w, n, pairs, b, y, yBase + r * n, relu);
            }
        }
        for (; i + 8 <= m; i += 8) {
            for (int j = 0; j < pairs; j += 2 * L) {
                block8x2(x, xBase + i * kk, kk, strips, j * kk, b, j, y, yBase + i * n + j, n, relu);
            }
            for (int r = i; r < i + 8; r += 4) {
                leftovers(x, xBase + r * kk, kk, w, n, pairs, b, y, yBase + r * n, relu);
            }
        }
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 4 * L <= vectors; j += 4 * L) {
                block4x4(x, xBase + i * kk, kk, w, n, j, b, y, yBase + i * n + j, relu);
            }
            leftovers(x, xBase + i * kk, kk, w, n, j, b, y, yBase + i * n, relu);
        }
        for (; i < m; i++) {
            row(x, xBase + i * kk, kk, w, n, vectors, b, y, yBase + i * n, relu);
        }
    }

    /** Output columns {@code from .. n-1} of 4 images: a vector at a time, then one column at a time. */
    private static void leftovers(float[] x, int x0, int kk, float[] w, int n, int from, float[] b, float[] y, int y0, boolean relu) {
        int vectors = n - n % L;
        for (int j = from; j < vectors; j += L) {
            block4x1(x, x0, kk, w, n, j, b, y, y0 + j, relu);
        }
        for (int r = 0; r < 4; r++) {
            columns(x, x0 + r * kk, kk, w, n, vectors, b, y, y0 + r * n, relu);
        }
    }

    /**
     * What the sums are clamped to before they are stored: 0 for a ReLU, −∞ (no change) otherwise.
     * A maximum with it in every case, rather than a branch: vectors merged after an if were boxed by
     * C2 in some compilations, which ran the stores through the Vector API's slow Java fallback.
     */
    private static FloatVector floor(boolean relu) {
        return FloatVector.broadcast(S, relu ? 0f : Float.NEGATIVE_INFINITY);
    }

    /**
     * Outputs {@code j .. j+2L-1} of 12 images, from their strip of W, which starts at {@code strip[s0]}:
     * 24 accumulators, 2 loads of W and 12 broadcasts per step.
     */
    private static void block12x2(float[] x, int x0, int kk, float[] strip, int s0, float[] b, int j, float[] y, int y0, int n,
                                  boolean relu) {
        FloatVector floor = floor(relu);
        FloatVector b0 = FloatVector.fromArray(S, b, j);
        FloatVector b1 = FloatVector.fromArray(S, b, j + L);
        FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1, a40 = b0, a41 = b1, a50 = b0, a51 = b1;
        FloatVector a60 = b0, a61 = b1, a70 = b0, a71 = b1, a80 = b0, a81 = b1, a90 = b0, a91 = b1, aa0 = b0, aa1 = b1, ab0 = b0, ab1 = b1;
        for (int k = 0, wk = s0; k < kk; k++, wk += 2 * L) {
            FloatVector w0 = FloatVector.fromArray(S, strip, wk);
            FloatVector w1 = FloatVector.fromArray(S, strip, wk + L);
            int xk = x0 + k;
            FloatVector v = FloatVector.broadcast(S, x[xk]);
            a00 = w0.fma(v, a00);
            a01 = w1.fma(v, a01);
            v = FloatVector.broadcast(S, x[xk + kk]);
            a10 = w0.fma(v, a10);
            a11 = w1.fma(v, a11);
            v = FloatVector.broadcast(S, x[xk + 2 * kk]);
            a20 = w0.fma(v, a20);
            a21 = w1.fma(v, a21);
            v = FloatVector.broadcast(S, x[xk + 3 * kk]);
            a30 = w0.fma(v, a30);
            a31 = w1.fma(v, a31);
            v = FloatVector.broadcast(S, x[xk + 4 * kk]);
            a40 = w0.fma(v, a40);
            a41 = w1.fma(v, a41);
            v = FloatVector.broadcast(S, x[xk + 5 * kk]);
            a50 = w0.fma(v, a50);
            a51 = w1.fma(v, a51);
            v = FloatVector.broadcast(S, x[xk + 6 * kk]);
            a60 = w0.fma(v, a60);
            a61 = w1.fma(v, a61);
            v = FloatVector.broadcast(S, x[xk + 7 * kk]);
            a70 = w0.fma(v, a70);
            a71 = w1.fma(v, a71);
            v = FloatVector.broadcast(S, x[xk + 8 * kk]);
            a80 = w0.fma(v, a80);
            a81 = w1.fma(v, a81);
            v = FloatVector.broadcast(S, x[xk + 9 * kk]);
            a90 = w0.fma(v, a90);
            a91 = w1.fma(v, a91);
            v = FloatVector.broadcast(S, x[xk + 10 * kk]);
            aa0 = w0.fma(v, aa0);
            aa1 = w1.fma(v, aa1);
            v = FloatVector.broadcast(S, x[xk + 11 * kk]);
            ab0 = w0.fma(v, ab0);
            ab1 = w1.fma(v, ab1);
        }
        a00.max(floor).intoArray(y, y0);
        a01.max(floor).intoArray(y, y0 + L);
        a10.max(floor).intoArray(y, y0 + n);
        a11.max(floor).intoArray(y, y0 + n + L);
        a20.max(floor).intoArray(y, y0 + 2 * n);
        a21.max(floor).intoArray(y, y0 + 2 * n + L);
        a30.max(floor).intoArray(y, y0 + 3 * n);
        a31.max(floor).intoArray(y, y0 + 3 * n + L);
        a40.max(floor).intoArray(y, y0 + 4 * n);
        a41.max(floor).intoArray(y, y0 + 4 * n + L);
        a50.max(floor).intoArray(y, y0 + 5 * n);
        a51.max(floor).intoArray(y, y0 + 5 * n + L);
        a60.max(floor).intoArray(y, y0 + 6 * n);
        a61.max(floor).intoArray(y, y0 + 6 * n + L);
        a70.max(floor).intoArray(y, y0 + 7 * n);
        a71.max(floor).intoArray(y, y0 + 7 * n + L);
        a80.max(floor).intoArray(y, y0 + 8 * n);
        a81.max(floor).intoArray(y, y0 + 8 * n + L);
        a90.max(floor).intoArray(y, y0 + 9 * n);
        a91.max(floor).intoArray(y, y0 + 9 * n + L);
        aa0.max(floor).intoArray(y, y0 + 10 * n);
        aa1.max(floor).intoArray(y, y0 + 10 * n + L);
        ab0.max(floor).intoArray(y, y0 + 11 * n);
        ab1.max(floor).intoArray(y, y0 + 11 * n + L);
    }

    /**
     * Outputs {@code j .. j+2L-1} of 8 images from their strip of W, which starts at {@code strip[s0]}.
     * Written out like {@link #block12x2}, of which it is the first two thirds.
     */
    private static void block8x2(float[] x, int x0, int kk, float[] strip, int s0, float[] b, int j, float[] y, int y0, int n,
                                 boolean relu) {
        FloatVector floor = floor(relu);
        FloatVector b0 = FloatVector.fromArray(S, b, j);
        FloatVector b1 = FloatVector.fromArray(S, b, j + L);
        FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
        FloatVector a40 = b0, a41 = b1, a50 = b0, a51 = b1, a60 = b0, a61 = b1, a70 = b0, a71 = b1;
        for (int k = 0, wk = s0; k < kk; k++, wk += 2 * L) {
            FloatVector w0 = FloatVector.fromArray(S, strip, wk);
            FloatVector w1 = FloatVector.fromArray(S, strip, wk + L);
            int xk = x0 + k;
            FloatVector v = FloatVector.broadcast(S, x[xk]);
            a00 = w0.fma(v, a00);
            a01 = w1.fma(v, a01);
            v = FloatVector.broadcast(S, x[xk + kk]);
            a10 = w0.fma(v, a10);
            a11 = w1.fma(v, a11);
            v = FloatVector.broadcast(S, x[xk + 2 * kk]);
            a20 = w0.fma(v, a20);
            a21 = w1.fma(v, a21);
            v = FloatVector.broadcast(S, x[xk + 3 * kk]);
            a30 = w0.fma(v, a30);
            a31 = w1.fma(v, a31);
            v = FloatVector.broadcast(S, x[xk + 4 * kk]);
            a40 = w0.fma(v, a40);
            a41 = w1.fma(v, a41);
            v = FloatVector.broadcast(S, x[xk + 5 * kk]);
            a50 = w0.fma(v, a50);
            a51 = w1.fma(v, a51);
            v = FloatVector.broadcast(S, x[xk + 6 * kk]);
            a60 = w0.fma(v, a60);
            a61 = w1.fma(v, a61);
            v = FloatVector.broadcast(S, x[xk + 7 * kk]);
            a70 = w0.fma(v, a70);
            a71 = w1.fma(v, a71);
        }
        a00.max(floor).intoArray(y, y0);
        a01.max(floor).intoArray(y, y0 + L);
        a10.max(floor).intoArray(y, y0 + n);
        a11.max(floor).intoArray(y, y0 + n + L);
        a20.max(floor).intoArray(y, y0 + 2 * n);
        a21.max(floor).intoArray(y, y0 + 2 * n + L);
        a30.max(floor).intoArray(y, y0 + 3 * n);
        a31.max(floor).intoArray(y, y0 + 3 * n + L);
        a40.max(floor).intoArray(y, y0 + 4 * n);
        a41.max(floor).intoArray(y, y0 + 4 * n + L);
        a50.max(floor).intoArray(y, y0 + 5 * n);
        a51.max(floor).intoArray(y, y0 + 5 * n + L);
        a60.max(floor).intoArray(y, y0 + 6 * n);
        a61.max(floor).intoArray(y, y0 + 6 * n + L);
        a70.max(floor).intoArray(y, y0 + 7 * n);
        a71.max(floor).intoArray(y, y0 + 7 * n + L);
    }

    private static void block4x4(float[] x, int x0, int kk, float[] w, int n, int j, float[] b, float[] y, int y0, boolean relu) {
        FloatVector floor = floor(relu);
        int x1 = x0 + kk;
        int x2 = x1 + kk;
        int x3 = x2 + kk;
        FloatVector b0 = FloatVector.fromArray(S, b, j);
        FloatVector b1 = FloatVector.fromArray(S, b, j + L);
        FloatVector b2 = FloatVector.fromArray(S, b, j + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, b, j + 3 * L);
        FloatVector a00 = b0, a01 = b1, a02 = b2, a03 = b3;
        FloatVector a10 = b0, a11 = b1, a12 = b2, a13 = b3;
        FloatVector a20 = b0, a21 = b1, a22 = b2, a23 = b3;
        FloatVector a30 = b0, a31 = b1, a32 = b2, a33 = b3;
        for (int k = 0, wk = j; k < kk; k++, wk += n) {
            FloatVector w0 = FloatVector.fromArray(S, w, wk);
            FloatVector w1 = FloatVector.fromArray(S, w, wk + L);
            FloatVector w2 = FloatVector.fromArray(S, w, wk + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, w, wk + 3 * L);
            FloatVector v = FloatVector.broadcast(S, x[x0 + k]);
            a00 = w0.fma(v, a00);
            a01 = w1.fma(v, a01);
            a02 = w2.fma(v, a02);
            a03 = w3.fma(v, a03);
            v = FloatVector.broadcast(S, x[x1 + k]);
            a10 = w0.fma(v, a10);
            a11 = w1.fma(v, a11);
            a12 = w2.fma(v, a12);
            a13 = w3.fma(v, a13);
            v = FloatVector.broadcast(S, x[x2 + k]);
            a20 = w0.fma(v, a20);
            a21 = w1.fma(v, a21);
            a22 = w2.fma(v, a22);
            a23 = w3.fma(v, a23);
            v = FloatVector.broadcast(S, x[x3 + k]);
            a30 = w0.fma(v, a30);
            a31 = w1.fma(v, a31);
            a32 = w2.fma(v, a32);
            a33 = w3.fma(v, a33);
        }
        a00.max(floor).intoArray(y, y0);
        a01.max(floor).intoArray(y, y0 + L);
        a02.max(floor).intoArray(y, y0 + 2 * L);
        a03.max(floor).intoArray(y, y0 + 3 * L);
        a10.max(floor).intoArray(y, y0 + n);
        a11.max(floor).intoArray(y, y0 + n + L);
        a12.max(floor).intoArray(y, y0 + n + 2 * L);
        a13.max(floor).intoArray(y, y0 + n + 3 * L);
        a20.max(floor).intoArray(y, y0 + 2 * n);
        a21.max(floor).intoArray(y, y0 + 2 * n + L);
        a22.max(floor).intoArray(y, y0 + 2 * n + 2 * L);
        a23.max(floor).intoArray(y, y0 + 2 * n + 3 * L);
        a30.max(floor).intoArray(y, y0 + 3 * n);
        a31.max(floor).intoArray(y, y0 + 3 * n + L);
        a32.max(floor).intoArray(y, y0 + 3 * n + 2 * L);
        a33.max(floor).intoArray(y, y0 + 3 * n + 3 * L);
    }

    private static void block4x1(float[] x, int x0, int kk, float[] w, int n, int j, float[] b, float[] y, int y0, boolean relu) {
        FloatVector floor = floor(relu);
        int x1 = x0 + kk;
        int x2 = x1 + kk;
        int x3 = x2 + kk;
        FloatVector a0 = FloatVector.fromArray(S, b, j);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int k = 0, wk = j; k < kk; k++, wk += n) {
            FloatVector w0 = FloatVector.fromArray(S, w, wk);
            a0 = w0.fma(FloatVector.broadcast(S, x[x0 + k]), a0);
            a1 = w0.fma(FloatVector.broadcast(S, x[x1 + k]), a1);
            a2 = w0.fma(FloatVector.broadcast(S, x[x2 + k]), a2);
            a3 = w0.fma(FloatVector.broadcast(S, x[x3 + k]), a3);
        }
        a0.max(floor).intoArray(y, y0);
        a1.max(floor).intoArray(y, y0 + n);
        a2.max(floor).intoArray(y, y0 + 2 * n);
        a3.max(floor).intoArray(y, y0 + 3 * n);
    }

    /**
     * One image: {@code y += x[k] · W[k, ·]} row by row of W, skipping zero inputs (most of a digit's
     * pixels, and every unit a ReLU switched off). W is read in order, once; the sums live in
     * {@code y}, which stays in the first-level cache.
     */
    private static void row(float[] x, int x0, int kk, float[] w, int n, int vectors, float[] b, float[] y, int y0, boolean relu) {
        System.arraycopy(b, 0, y, y0, n);
        for (int k = 0, wk = 0; k < kk; k++, wk += n) {
            float xk = x[x0 + k];
            if (xk == 0f) {
                continue;
            }
            FloatVector v = FloatVector.broadcast(S, xk);
            for (int j = 0; j < vectors; j += L) {
                FloatVector.fromArray(S, w, wk + j).fma(v, FloatVector.fromArray(S, y, y0 + j)).intoArray(y, y0 + j);
            }
            for (int j = vectors; j < n; j++) {
                y[y0 + j] += xk * w[wk + j];
            }
        }
        if (relu) {
            for (int j = y0; j < y0 + n; j++) {
                y[j] = Math.max(y[j], 0f);
            }
        }
    }

    /** Output columns {@code from .. n-1} of one image, one at a time (layers whose width is not a multiple of the vector length). */
    private static void columns(float[] x, int x0, int kk, float[] w, int n, int from, float[] b, float[] y, int y0, boolean relu) {
        for (int j = from; j < n; j++) {
            float sum = b[j];
            for (int k = 0; k < kk; k++) {
                sum += x[x0 + k] * w[k * n + j];
            }
            y[y0 + j] = relu ? Math.max(sum, 0f) : sum;
        }
    }
}
