package io.frameguard.model;

import io.frameguard.dl4j.BlockLayout;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.variational.BernoulliReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Builds the untrained network of each family. Every network takes flat input
 * {@code [n, width*height]} scaled to [0, 1]; the convolutional ones reshape it themselves, so
 * callers never care about the layout.
 */
public final class Architectures {
    private Architectures() {
    }

    public static MultiLayerNetwork build(ModelSpec spec) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(spec));
        net.init();
        return net;
    }

    public static MultiLayerConfiguration configuration(ModelSpec spec) {
        ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .updater(new Adam(spec.learningRate()))
                .weightInit(WeightInit.RELU)
                .list();
        switch (spec.family()) {
            case DENSE -> dense(list, spec);
            case SHALLOW -> shallow(list, spec);
            case CONV, DENOISING -> hourglass(list, spec);
            case SUPERRES -> superResolution(list, spec);
            case VAE -> variational(list, spec);
        }
        return list.build();
    }

    private static void dense(ListBuilder list, ModelSpec spec) {
        int n = spec.inputSize();
        int[] widths = {256, 128, spec.latentSize(), 128, 256};
        int in = n;
        for (int w : widths) {
            list.layer(hidden(spec).nIn(in).nOut(w).activation(Activation.RELU).build());
            in = w;
        }
        sigmoidReconstruction(list, in, n);
    }

    /**
     * A hidden dense layer, with the spec's dropout on its inputs when it has one (the first hidden
     * layer's inputs are the pixels). DL4J's {@code dropOut} takes the probability of keeping.
     */
    private static DenseLayer.Builder hidden(ModelSpec spec) {
        DenseLayer.Builder layer = new DenseLayer.Builder();
        if (spec.dropout() > 0) {
            layer.dropOut(1 - spec.dropout());
        }
        return layer;
    }

    /**
     * The last dense layer (sigmoid, {@code in → n}) and an MSE loss on its output. A separate
     * {@link LossLayer} rather than an {@code OutputLayer}: DL4J's output layer runs its forward
     * product again for the score and again for the gradient, and for a 256 → 784 layer that was
     * ~10 % of a training step (BENCHMARKS.md). Same parameters, same outputs.
     */
    private static void sigmoidReconstruction(ListBuilder list, int in, int n) {
        list.layer(new DenseLayer.Builder().nIn(in).nOut(n).activation(Activation.SIGMOID)
                .weightInit(WeightInit.XAVIER).build());
        list.layer(new LossLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).build());
    }

    private static void shallow(ListBuilder list, ModelSpec spec) {
        int n = spec.inputSize();
        list.layer(hidden(spec).nIn(n).nOut(50).activation(Activation.TANH)
                .weightInit(WeightInit.XAVIER).build());
        sigmoidReconstruction(list, 50, n);
    }

    /**
     * An hourglass that never runs a layer at full resolution. A 2×2-stride-2 convolution turns
     * each 2×2 block of pixels into {@code outer} features at half resolution (a learned
     * space-to-depth); 3×3 convs with batch norm work at 1/2 and 1/4 resolution; a last 1×1 conv
     * predicts each 2×2 block of the image as 4 sigmoid channels at half resolution, which
     * {@link BlockLayout} maps back to pixels. MAE.
     */
    private static void hourglass(ListBuilder list, ModelSpec spec) {
        int outer = spec.channels()[0];
        int inner = spec.channels()[1];
        list.layer(new ConvolutionLayer.Builder(2, 2).stride(2, 2).nOut(outer).activation(Activation.RELU).build());
        convBnRelu(list, outer, 1);
        convBnRelu(list, inner, 2);
        convBnRelu(list, inner, 1);
        list.layer(new Upsampling2D.Builder(2).build());
        convBnRelu(list, outer, 1);
        list.layer(new ConvolutionLayer.Builder(1, 1).nOut(BlockLayout.CHANNELS)
                .activation(Activation.SIGMOID).weightInit(WeightInit.XAVIER).build());
        list.layer(new CnnLossLayer.Builder(LossFunction.L1).activation(Activation.IDENTITY).build());
        list.setInputType(InputType.convolutionalFlat(spec.height(), spec.width(), 1));
    }

    /**
     * Sets the sigmoid output layer's bias so that an untrained hourglass predicts {@code meanPixel}
     * everywhere instead of 0.5. Its reconstruction is a 1×1 conv of ReLU features, far from any
     * batch norm, and starting it at 0.5 over a mostly dark image cost the first epochs (and a short
     * training ranked random noise as normal); starting at the training images' mean intensity does
     * not.
     */
    public static void startAtMeanPixel(MultiLayerNetwork net, double meanPixel) {
        double p = Math.min(0.99, Math.max(0.01, meanPixel));
        net.getLayer(net.getnLayers() - 2).getParam("b").assign(Math.log(p / (1 - p)));
    }

    /** Sees only the 4× max-pooled image and up-samples it back to full size. */
    private static void superResolution(ListBuilder list, ModelSpec spec) {
        int outer = spec.channels()[0];
        int inner = spec.channels()[1];
        list.layer(maxPool(4));
        convBnRelu(list, inner);
        list.layer(new Upsampling2D.Builder(2).build());
        convBnRelu(list, outer);
        list.layer(new Upsampling2D.Builder(2).build());
        convBnRelu(list, outer);
        reconstruction(list, spec);
    }

    private static void variational(ListBuilder list, ModelSpec spec) {
        list.layer(new VariationalAutoencoder.Builder()
                .nIn(spec.inputSize()).nOut(spec.latentSize())
                .encoderLayerSizes(256, 128)
                .decoderLayerSizes(128, 256)
                .activation(Activation.RELU)
                .pzxActivationFunction(Activation.IDENTITY)
                .reconstructionDistribution(new BernoulliReconstructionDistribution(Activation.SIGMOID))
                .numSamples(1)
                .build());
    }

    private static void convBnRelu(ListBuilder list, int channels) {
        convBnRelu(list, channels, 1);
    }

    private static void convBnRelu(ListBuilder list, int channels, int stride) {
        list.layer(new ConvolutionLayer.Builder(3, 3).stride(stride, stride).nOut(channels)
                .convolutionMode(ConvolutionMode.Same)
                .activation(Activation.IDENTITY).hasBias(false).build());
        list.layer(new BatchNormalization.Builder().build());
        list.layer(new ActivationLayer(Activation.RELU));
    }

    private static void reconstruction(ListBuilder list, ModelSpec spec) {
        list.layer(new ConvolutionLayer.Builder(3, 3).nOut(1).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.SIGMOID).weightInit(WeightInit.XAVIER).build());
        list.layer(new CnnLossLayer.Builder(LossFunction.L1).activation(Activation.IDENTITY).build());
        list.setInputType(InputType.convolutionalFlat(spec.height(), spec.width(), 1));
    }

    private static SubsamplingLayer maxPool(int size) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(size, size).stride(size, size).build();
    }
}
