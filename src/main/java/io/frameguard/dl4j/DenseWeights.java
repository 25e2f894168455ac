package io.frameguard.dl4j;

import java.util.ArrayList;
import java.util.List;
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
 * A copy of a dense network's weights in Java arrays: what {@link JavaDense}'s forward passes run.
 * It reads the layers' configuration classes and their {@code W} and {@code b} parameters.
 */
public final class DenseWeights {
    /** The activations the Java paths compute; any other leaves the network to ND4J. */
    public enum Act {
        IDENTITY, RELU, SIGMOID, TANH;

        /** Applies this activation to {@code v[from .. from+n-1]} in place. */
        void apply(float[] v, int from, int n) {
            switch (this) {
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

    /** One layer: {@code weights} is W, {@code [in, out]} in row-major order (row k: the weights from input k). */
    public record Layer(float[] weights, float[] bias, int in, int out, Act act) {
    }

    private final List<Layer> layers;

    private DenseWeights(List<Layer> layers) {
        this.layers = List.copyOf(layers);
    }

    /**
     * A copy of {@code network}'s weights, or null when its layers are not all plain float dense
     * layers with identity, ReLU, sigmoid or tanh activations (ending, optionally, in a
     * parameterless loss layer with an identity activation or, in bundles of format 1, an output
     * layer), or {@link DenseForward} would not take it.
     */
    public static DenseWeights of(MultiLayerNetwork network) {
        if (DenseForward.of(network) == null) {
            return null;
        }
        List<Layer> layers = new ArrayList<>();
        for (org.deeplearning4j.nn.api.Layer layer : network.getLayers()) {
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
            boolean hasBias = conf instanceof DenseLayer d ? d.hasBias() : ((OutputLayer) conf).hasBias();
            Act act = act(((BaseLayer) conf).getActivationFn());
            INDArray w = layer.getParam("W");
            if (act == null || w.dataType() != DataType.FLOAT) {
                return null;
            }
            int in = (int) w.size(0);
            int out = (int) w.size(1);
            float[] bias = hasBias ? layer.getParam("b").dup('c').data().asFloat() : new float[out];
            layers.add(new Layer(w.dup('c').data().asFloat(), bias, in, out, act));
        }
        return layers.isEmpty() ? null : new DenseWeights(layers);
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

    public List<Layer> layers() {
        return layers;
    }

    public int inputs() {
        return layers.get(0).in();
    }

    public int outputs() {
        return layers.get(layers.size() - 1).out();
    }
}
