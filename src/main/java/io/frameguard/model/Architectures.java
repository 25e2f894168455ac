package io.frameguard.model;

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
import org.deeplearning4j.nn.conf.layers.OutputLayer;
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
            list.layer(new DenseLayer.Builder().nIn(in).nOut(w).activation(Activation.RELU).build());
            in = w;
        }
        list.layer(new OutputLayer.Builder(LossFunction.MSE).nIn(in).nOut(n)
                .activation(Activation.SIGMOID).weightInit(WeightInit.XAVIER).build());
    }

    private static void shallow(ListBuilder list, ModelSpec spec) {
        int n = spec.inputSize();
        list.layer(new DenseLayer.Builder().nIn(n).nOut(50).activation(Activation.TANH)
                .weightInit(WeightInit.XAVIER).build());
        list.layer(new OutputLayer.Builder(LossFunction.MSE).nIn(50).nOut(n)
                .activation(Activation.SIGMOID).weightInit(WeightInit.XAVIER).build());
    }

    /** 3×3 convs with batch norm: down 2× twice, up 2× twice, sigmoid reconstruction, MAE. */
    private static void hourglass(ListBuilder list, ModelSpec spec) {
        int outer = spec.channels()[0];
        int inner = spec.channels()[1];
        convBnRelu(list, outer);
        list.layer(maxPool(2));
        convBnRelu(list, inner);
        list.layer(maxPool(2));
        convBnRelu(list, inner);
        list.layer(new Upsampling2D.Builder(2).build());
        convBnRelu(list, outer);
        list.layer(new Upsampling2D.Builder(2).build());
        reconstruction(list, spec);
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
        list.layer(new ConvolutionLayer.Builder(3, 3).nOut(channels).convolutionMode(ConvolutionMode.Same)
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
