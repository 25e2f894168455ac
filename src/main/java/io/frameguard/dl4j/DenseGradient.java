package io.frameguard.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The gradient and score of a network of {@link DenseLayer}s ending in a parameterless MSE
 * {@link LossLayer} (the {@code dense} and {@code shallow} families), as
 * {@link MultiLayerNetwork#computeGradientAndScore} computes them: the gradient summed over the
 * minibatch's rows (DL4J's updater divides by the minibatch size) into the network's own gradient
 * arrays, and the mean loss per row.
 *
 * <p>DL4J runs the same operations and around them, per layer and step, one more product and a
 * copy of each product: the backward pass computes each layer's forward product again
 * ({@code BaseLayer.backpropGradient} calls {@code preOutputWithPreNorm}), and every product DL4J
 * writes into a c-ordered activation goes to an f-ordered temporary that is then copied over. With
 * them the gradient took twice the CPU time (a profile of {@code train}, BENCHMARKS.md). Here each
 * product is computed once, by the gemm straight into the array that keeps it, with the layer's own
 * activation function forwards and backwards. The sums are the same, in another order: the
 * gradient agrees with DL4J's within 1e-5 of its largest value ({@code DenseGradientTest}). The
 * inference counterpart is {@code io.frameguard.dl4j.DenseForward}.
 *
 * <p>Not thread-safe: one per thread, each for its own network (replicas share parameters, not
 * gradients).
 */
final class DenseGradient {
    private record Step(INDArray weights, INDArray bias, IActivation activation, INDArray weightGradient,
                        INDArray biasGradient) {
    }

    private final List<Step> steps;
    private final int outputs;
    /** Per layer: the product plus bias (overwritten by its gradient on the way back), and the activation. */
    private final INDArray[] preActivations;
    private final INDArray[] activations;
    /** Per layer: the loss's gradient with respect to its activation. */
    private final INDArray[] epsilons;

    private DenseGradient(List<Step> steps) {
        this.steps = steps;
        this.outputs = (int) steps.get(steps.size() - 1).weights().size(1);
        this.preActivations = new INDArray[steps.size()];
        this.activations = new INDArray[steps.size()];
        this.epsilons = new INDArray[steps.size()];
    }

    /**
     * The gradient for {@code net}, or null when it is not dense layers with biases and nothing else
     * (dropout, weight noise, layer normalisation, input preprocessors, other layers or data types)
     * followed by an MSE loss on the last layer's activation; then DL4J's own must be used.
     */
    static DenseGradient of(MultiLayerNetwork net) {
        if (!net.getLayerWiseConfigurations().getInputPreProcessors().isEmpty()) {
            return null;
        }
        DataParallelFit.gradientsView(net); // the layers' gradient views exist once the network's array does
        Layer[] layers = net.getLayers();
        if (layers.length < 2 || !(layers[layers.length - 1].conf().getLayer() instanceof LossLayer loss)
                || loss.getClass() != LossLayer.class || !(loss.getLossFn() instanceof LossMSE mse)
                || mse.getWeights() != null || !(loss.getActivationFn() instanceof ActivationIdentity)
                || loss.getIDropout() != null) {
            return null;
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < layers.length - 1; i++) {
            if (layers[i].conf().getLayer().getClass() != DenseLayer.class) {
                return null;
            }
            DenseLayer dense = (DenseLayer) layers[i].conf().getLayer();
            INDArray w = layers[i].getParam(DefaultParamInitializer.WEIGHT_KEY);
            if (!dense.hasBias() || dense.hasLayerNorm() || dense.getIDropout() != null || dense.getWeightNoise() != null
                    || w == null || w.dataType() != DataType.FLOAT || w.rank() != 2) {
                return null;
            }
            Map<String, INDArray> gradients = DefaultParamInitializer.getInstance()
                    .getGradientsFromFlattened(layers[i].conf(), layers[i].getGradientsViewArray());
            steps.add(new Step(w, layers[i].getParam(DefaultParamInitializer.BIAS_KEY), dense.getActivationFn(),
                    gradients.get(DefaultParamInitializer.WEIGHT_KEY), gradients.get(DefaultParamInitializer.BIAS_KEY)));
        }
        return new DenseGradient(steps);
    }

    /**
     * Writes the gradient of the loss summed over the rows of {@code features} (with {@code labels}
     * the reconstruction targets, both {@code [n, inputs]} c-ordered float matrices) into the
     * network's gradient arrays; returns the mean loss per row, as {@code net.score()} would.
     */
    double compute(INDArray features, INDArray labels) {
        int n = (int) features.size(0);
        INDArray in = features;
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            INDArray z = buffer(preActivations, i, n, s.weights().size(1));
            Nd4j.gemm(in, s.weights(), z, false, false, 1.0, 0.0);
            z.addiRowVector(s.bias());
            INDArray a = buffer(activations, i, n, s.weights().size(1));
            s.activation().getActivation(a.assign(z), true);
            in = a;
        }
        // MSE: the mean over the outputs of the squared error; its gradient 2 (a - y) / outputs
        INDArray epsilon = buffer(epsilons, steps.size() - 1, n, outputs);
        in.sub(labels, epsilon);
        double norm = epsilon.norm2Number().doubleValue();
        epsilon.muli(2.0 / outputs);
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step s = steps.get(i);
            INDArray delta = s.activation().backprop(preActivations[i], epsilons[i]).getFirst();
            INDArray below = i == 0 ? features : activations[i - 1];
            Nd4j.gemm(below, delta, s.weightGradient(), true, false, 1.0, 0.0);
            delta.sum(s.biasGradient(), 0);
            if (i > 0) {
                Nd4j.gemm(delta, s.weights(), buffer(epsilons, i - 1, n, s.weights().size(0)), false, true, 1.0, 0.0);
            }
        }
        return norm * norm / outputs / n;
    }

    private static INDArray buffer(INDArray[] kept, int i, int rows, long columns) {
        INDArray a = kept[i];
        if (a == null || a.size(0) != rows) {
            a = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, columns}, 'c');
            kept[i] = a;
        }
        return a;
    }
}
