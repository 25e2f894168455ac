package io.frameguard.dl4j;

import java.nio.FloatBuffer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps subnormal floats out of a training step. The autoencoders end in a sigmoid, and the pixels
 * that are background in every image are driven towards 0, so their weights' gradients shrink
 * epoch after epoch; Adam squares them into its second moment, and from about the third MNIST
 * epoch some 75,000 of the updater's 950,000 state values were subnormal. The CPU handles every
 * arithmetic operation on a subnormal in microcode (the JVM does not run native code with
 * flush-to-zero), and the epochs slowed from 5.5 to 9 s.
 *
 * <p>Before the updater runs, gradient values under {@link #GRADIENT_FLOOR} in magnitude are set to
 * 0; every {@link #STATE_EVERY} steps, updater state values under {@link #STATE_FLOOR} are. Neither
 * changes what training does: Adam moves a parameter by at most the learning rate times
 * m / (√v + ε) with ε = 1e-8, so a gradient that stays under 1e-15 moves it by under 1e-7 of the
 * learning rate, and a first or second moment under 1e-30 adds under 1e-22 to a step. With the
 * gradient floored, no new subnormal enters the state through g² (the smallest (1 - β₂) g² is
 * 1e-33); the state that decays towards them (by β₁ = 0.9 or β₂ = 0.999 a step) takes hundreds of
 * steps to get from 1e-30 to the subnormals under 1.2e-38, far more than {@code STATE_EVERY}.
 */
public final class SubnormalGuard extends BaseTrainingListener {
    static final float GRADIENT_FLOOR = 1e-15f;
    static final float STATE_FLOOR = 1e-30f;
    static final int STATE_EVERY = 16;

    private long steps;

    /** Floors the network's gradient; call after the gradient is computed and before the updater. */
    public void beforeUpdate(MultiLayerNetwork net) {
        floor(net.getFlattenedGradients(), GRADIENT_FLOOR);
    }

    /** Floors the updater state every {@link #STATE_EVERY} steps; call after the updater. */
    public void afterUpdate(MultiLayerNetwork net) {
        if (++steps % STATE_EVERY == 0 && net.getUpdater() != null) {
            floor(net.getUpdater().getStateViewArray(), STATE_FLOOR);
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            beforeUpdate(net);
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (model instanceof MultiLayerNetwork net) {
            afterUpdate(net);
        }
    }

    /** Sets every value of {@code a} under {@code floor} in magnitude to 0, in place; {@code a} may be a contiguous view. */
    static void floor(INDArray a, float floor) {
        if (a == null || a.isEmpty()) {
            return;
        }
        // the flattened gradient, the updater state and their contiguous slices; anything else is a caller's mistake
        if (a.dataType() != DataType.FLOAT || a.elementWiseStride() != 1) {
            throw new IllegalArgumentException("expected a contiguous float array, got " + a.shapeInfoToString());
        }
        // straight on the native buffer: an ND4J condition op (BooleanIndexing.replaceWhere) took twice as long.
        // A view's buffer is the whole array's, and the view starts at its offset.
        FloatBuffer b = a.data().asNioFloat();
        int from = (int) a.offset();
        int to = from + (int) a.length();
        if (to > b.capacity()) {
            throw new IllegalStateException("array of " + a.length() + " values at offset " + from
                    + " does not fit its buffer of " + b.capacity());
        }
        for (int i = from; i < to; i++) {
            if (Math.abs(b.get(i)) < floor) {
                b.put(i, 0f);
            }
        }
    }
}
