package io.frameguard.harness.bench;

import io.frameguard.model.ModelSpec;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;

/**
 * Multiply-add work of one image's scoring pass, counted as 2 FLOPs per multiply-add over the dense
 * and convolution layers (the arithmetic that bounds speed; pooling, activations and batch norm are
 * left out). For the VAE: one encoder pass plus one decoder pass per Monte-Carlo sample.
 */
final class Flops {
    private Flops() {
    }

    static double perImage(MultiLayerConfiguration conf, ModelSpec spec) {
        InputType input = InputType.feedForward(spec.inputSize());
        List<InputType> outputs = conf.getLayerActivationTypes(input);
        double flops = 0;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            if (layer instanceof ConvolutionLayer c) {
                InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) outputs.get(i);
                flops += 2.0 * out.getHeight() * out.getWidth() * c.getNIn() * c.getNOut()
                        * c.getKernelSize()[0] * c.getKernelSize()[1];
            } else if (layer instanceof VariationalAutoencoder v) {
                flops += 2.0 * chain(v.getNIn(), v.getEncoderLayerSizes(), 2 * v.getNOut());
                flops += 2.0 * spec.vaeSamples() * chain(v.getNOut(), v.getDecoderLayerSizes(), v.getNIn());
            } else if (layer instanceof FeedForwardLayer f && f.getNIn() > 0) {
                flops += 2.0 * f.getNIn() * f.getNOut();
            }
        }
        return flops;
    }

    /**
     * The same count for a fully convolutional graph on one {@code side × side} frame: every
     * convolution's output pixels × input maps × output maps × kernel area, twice.
     */
    static double perFrame(ComputationGraphConfiguration conf, int side, int channels) {
        Map<String, InputType> outputs = conf.getLayerActivationTypes(InputType.convolutional(side, side, channels));
        double flops = 0;
        for (Map.Entry<String, GraphVertex> v : conf.getVertices().entrySet()) {
            if (v.getValue() instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof ConvolutionLayer c) {
                InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) outputs.get(v.getKey());
                flops += 2.0 * out.getHeight() * out.getWidth() * c.getNIn() * c.getNOut()
                        * c.getKernelSize()[0] * c.getKernelSize()[1];
            }
        }
        return flops;
    }

    private static double chain(long in, int[] hidden, long out) {
        double macs = 0;
        long prev = in;
        for (int h : hidden) {
            macs += (double) prev * h;
            prev = h;
        }
        return macs + (double) prev * out;
    }
}
