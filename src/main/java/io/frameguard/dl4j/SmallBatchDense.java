package io.frameguard.dl4j;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The dense families' forward pass for a handful of images, in plain Java on a copy of the weights.
 *
 * <p>At batch 1 the arithmetic of the dense autoencoder is about 1 MFLOP, tens of microseconds;
 * {@link DenseForward} spends about half a millisecond around it, because each of its ~20 ND4J
 * operations (a gemm, a bias add and an activation per layer, then the error and the score) crosses
 * into native code and back. Here each layer is one loop the JIT vectorises,
 * {@code y += x[k] · W[k, ·]} over the rows of W, skipping the zero inputs (most of a digit's
 * pixels, and every unit a ReLU switched off). From about 16 images on, the native gemm wins
 * ({@code bench scoring --families dense --batches 1,2,4,8,16,32}: measured with each path).
 *
 * <p>The weights are copied when this is made: a network that is still being trained must not be
 * scored through it. Stateless after construction: safe for any number of threads.
 */
public final class SmallBatchDense {
    /** Up to this many images per call, {@link io.frameguard.model.Scorer} scores through this class. */
    public static final int MAX_BATCH = 8;

    private enum Act { IDENTITY, RELU, SIGMOID, TANH }

    /** A layer: {@code rows[k]} is row k of W (the weights from input k), each an array of its own. */
    private record Step(float[][] rows, float[] bias, int in, int out, Act act) {
    }

    private final List<Step> steps;
    private final int inputs;
    private final int outputs;

    private SmallBatchDense(List<Step> steps) {
        this.steps = steps;
        this.inputs = steps.get(0).in();
        this.outputs = steps.get(steps.size() - 1).out();
    }

    /**
     * A copy of {@code network} for small batches, or null when its layers are not all plain float
     * dense layers with identity, ReLU, sigmoid or tanh activations (ending, optionally, in a
     * parameterless loss layer with an identity activation or, in bundles of format 1, an output
     * layer), or {@link DenseForward} would not take it.
     */
    public static SmallBatchDense of(MultiLayerNetwork network) {
        if (DenseForward.of(network) == null) {
            return null;
        }
        List<Step> steps = new ArrayList<>();
        for (Layer layer : network.getLayers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            if (conf.getClass() == LossLayer.class) {
                if (!(((LossLayer) conf).getActivationFn() instanceof ActivationIdentity)) {
                    return null;
                }
                continue;
            }
            // a dense layer, or the output layer bundles of format 1 end in (its loss is for training only)
            if (conf.getClass() != DenseLayer.class && conf.getClass() != OutputLayer.class) {
                return null;
            }
            BaseLayer dense = (BaseLayer) conf;
            boolean bias = conf instanceof DenseLayer d ? d.hasBias() : ((OutputLayer) conf).hasBias();
            Act act = act(dense.getActivationFn());
            INDArray w = layer.getParam("W");
            if (act == null || w.dataType() != DataType.FLOAT) {
                return null;
            }
            int in = (int) w.size(0);
            int out = (int) w.size(1);
            INDArray b = bias ? layer.getParam("b") : null;
            float[] flat = w.dup('c').data().asFloat();
            float[][] rows = new float[in][];
            for (int k = 0; k < in; k++) {
                rows[k] = java.util.Arrays.copyOfRange(flat, k * out, (k + 1) * out);
            }
            steps.add(new Step(rows, b == null ? new float[out] : b.dup('c').data().asFloat(), in, out, act));
        }
        return steps.isEmpty() ? null : new SmallBatchDense(steps);
    }

    private static Act act(IActivation a) {
        if (a instanceof ActivationIdentity) {
            return Act.IDENTITY;
        }
        if (a instanceof ActivationReLU r && r.getMax() == null && zeroOrUnset(r.getThreshold()) && zeroOrUnset(r.getNegativeSlope())) {
            return Act.RELU;
        }
        if (a instanceof ActivationSigmoid) {
            return Act.SIGMOID;
        }
        if (a instanceof ActivationTanH) {
            return Act.TANH;
        }
        return null;
    }

    private static boolean zeroOrUnset(Double v) {
        return v == null || v == 0.0;
    }

    public int inputs() {
        return inputs;
    }

    public int outputs() {
        return outputs;
    }

    /** The network's output for one image, {@code x[from .. from+inputs-1]}, into {@code y[to .. to+outputs-1]}. */
    public void output(float[] x, int from, float[] y, int to) {
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
            activate(out, 0, n, step.act());
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

    private static void activate(float[] v, int from, int n, Act act) {
        switch (act) {
            case IDENTITY -> { }
            case RELU -> {
                for (int i = from; i < from + n; i++) {
                    v[i] = Math.max(v[i], 0f);
                }
            }
            case SIGMOID -> {
                for (int i = from; i < from + n; i++) {
                    v[i] = (float) (1 / (1 + Math.exp(-v[i])));
                }
            }
            case TANH -> {
                for (int i = from; i < from + n; i++) {
                    v[i] = (float) Math.tanh(v[i]);
                }
            }
        }
    }
}
