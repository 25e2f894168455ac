package io.frameguard.dl4j;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference for a network of {@link DenseLayer}s ending in a parameterless {@link LossLayer} (the
 * {@code dense} and {@code shallow} families) or, in bundles of format 1, in an {@link OutputLayer}: per layer one gemm straight into an activation matrix
 * kept from the previous call, the bias added as a row vector and the activation applied in place.
 *
 * <p>{@link MultiLayerNetwork#output} runs the same operations, and around them two copies per call
 * that cost ~40 % of its time on the dense autoencoder at batch 256 (a profile of the stream thread):
 * DL4J's activations are c-ordered while its gemm writes f order, so every layer's product goes to
 * an f-ordered temporary that is then copied over; and the output is copied once more out of the
 * inference workspace. Here the product is written in c order by the gemm itself. The sums are the
 * same, in another order: outputs agree with {@code network.output} to about 1e-6.
 *
 * <p>Not thread-safe, and each call overwrites the matrix the previous call returned.
 */
public final class DenseForward {
    private record Step(INDArray weights, INDArray bias, IActivation activation) {
    }

    private final List<Step> steps;
    private final INDArray[] activations;

    private DenseForward(List<Step> steps) {
        this.steps = steps;
        this.activations = new INDArray[steps.size()];
    }

    /**
     * The fast path for {@code network}, or null when its layers are not all plain dense layers
     * (input preprocessors, layer normalisation, other layer types or data types) and
     * {@code network.output} must be used.
     */
    public static DenseForward of(MultiLayerNetwork network) {
        if (!network.getLayerWiseConfigurations().getInputPreProcessors().isEmpty()) {
            return null;
        }
        Layer[] layers = network.getLayers();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layers[i].conf().getLayer();
            boolean last = i == layers.length - 1;
            INDArray w = layers[i].getParam("W");
            if (last && conf.getClass() == LossLayer.class) {
                // no parameters: its activation at most
                IActivation a = ((LossLayer) conf).getActivationFn();
                if (!(a instanceof ActivationIdentity)) {
                    steps.add(new Step(null, null, a));
                }
            } else if (w == null || w.dataType() != DataType.FLOAT || w.rank() != 2) {
                return null;
            } else if (conf.getClass() == DenseLayer.class && !((DenseLayer) conf).hasLayerNorm()) {
                DenseLayer d = (DenseLayer) conf;
                steps.add(new Step(w, d.hasBias() ? layers[i].getParam("b") : null, d.getActivationFn()));
            } else if (last && conf.getClass() == OutputLayer.class) {
                // how bundles of format 1 end: a dense layer with a loss, which inference does not use
                OutputLayer o = (OutputLayer) conf;
                steps.add(new Step(w, o.hasBias() ? layers[i].getParam("b") : null, o.getActivationFn()));
            } else {
                return null;
            }
        }
        return steps.isEmpty() || steps.get(0).weights() == null ? null : new DenseForward(steps);
    }

    /**
     * The network's output for a {@code [n, inputs]} float matrix: a c-ordered matrix this object
     * keeps and overwrites on its next call.
     */
    public INDArray output(INDArray input) {
        INDArray in = input;
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            INDArray out;
            if (s.weights() == null) {
                out = in;
            } else {
                out = activations[i];
                if (out == null || out.size(0) != in.size(0)) {
                    out = Nd4j.createUninitialized(DataType.FLOAT, new long[] {in.size(0), s.weights().size(1)}, 'c');
                    activations[i] = out;
                }
                Nd4j.gemm(in, s.weights(), out, false, false, 1.0, 0.0);
                if (s.bias() != null) {
                    out.addiRowVector(s.bias());
                }
            }
            s.activation().getActivation(out, false);
            in = out;
        }
        return in;
    }
}
