package io.frameguard.model.inspection;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The reconstruction-plus-segmentation network for surfaces and parts, after DRAEM (Zavrtanik et
 * al. 2021), sized for a CPU. One fully convolutional graph, so one model scores any frame whose
 * sides are multiples of {@link #ALIGN}:
 * <ul>
 * <li>{@value #RECONSTRUCTION}: an hourglass autoencoder (1/2 and 1/4 resolution) trained to give back
 *     the clean image when shown one with a synthetic anomaly;
 * <li>{@value #SEGMENTATION}: a small U-net (1/2, 1/4 and 1/8 resolution) over the image and its
 *     reconstruction side by side, trained to mark the synthetic anomaly pixel by pixel (two-class
 *     softmax, the anomalous class weighted up).
 * </ul>
 * The segmentation map is the anomaly map; the image score is taken from it. Both outputs are
 * probabilities; training minimises squared reconstruction error plus per-pixel weighted cross-entropy.
 */
public final class InspectionNetwork {
    public static final String INPUT = "image";
    public static final String RECONSTRUCTION = "reconstruction";
    public static final String SEGMENTATION = "segmentation";
    /** Frame sides must be multiples of this (the U-net halves three times); frames are padded to it. */
    public static final int ALIGN = 8;
    /** Weight of the anomalous class in the segmentation loss. */
    static final float ANOMALY_WEIGHT = 4f;
    /** The channel of the segmentation output that holds the anomaly probability. */
    public static final int ANOMALY_CHANNEL = 1;

    private InspectionNetwork() {
    }

    /**
     * @param channels image channels (1 or 3)
     * @param width maps of the network: the reconstruction's outer level and the segmentation's
     * @param tile the training crop side, for DL4J's shape inference only
     */
    public static ComputationGraph build(int channels, int width, int tile, double learningRate, long seed) {
        return graph(channels, width, tile, learningRate, seed, false);
    }

    /**
     * The graph {@link InspectionScorer} runs: the trained network's layers and parameters, with the two
     * full-resolution steps reordered. The reconstruction's last 1×1 convolution and the segmentation's
     * per-pixel softmax commute with the nearest-neighbour upsampling before them, so they run at half
     * resolution: the reconstruction is upsampled after its 1×1 convolution (one map instead of
     * {@code width}), and the segmentation output stays at half resolution for the scorer to upsample
     * (its upsampling and softmax were a quarter of a 256×256 pass at width 8). Same outputs, to
     * rounding. A network of another layout (a bundle from an older FrameGuard whose layers differ) is
     * returned as it is.
     */
    public static ComputationGraph forScoring(ComputationGraph trained, int channels) {
        if (trained.getConfiguration().getVertices().get("r1") == null
                || !(trained.getLayer("r1").getConfig() instanceof ConvolutionLayer first)) {
            return trained;
        }
        ComputationGraph scoring = graph(channels, (int) first.getNOut(), 64, 1e-3, 1L, true);
        for (org.deeplearning4j.nn.api.Layer layer : trained.getLayers()) {
            String name = layer.getConfig().getLayerName();
            if (layer.numParams() == 0) {
                continue;
            }
            if (scoring.getConfiguration().getVertices().get(name) == null
                    || scoring.getLayer(name).numParams() != layer.numParams()) {
                return trained;
            }
        }
        if (scoring.numParams() != trained.numParams()) {
            return trained;
        }
        for (org.deeplearning4j.nn.api.Layer layer : trained.getLayers()) {
            if (layer.numParams() > 0) {
                scoring.getLayer(layer.getConfig().getLayerName()).setParams(layer.params().dup());
            }
        }
        return scoring;
    }

    private static ComputationGraph graph(int channels, int width, int tile, double learningRate, long seed, boolean scoring) {
        int w = width;
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(tile, tile, channels));
        // reconstruction: 2x2 space-to-depth, 1/4-resolution bottleneck, back up
        g.addLayer("r1", conv(2, w, Activation.RELU).stride(2, 2).build(), INPUT);
        g.addLayer("r2", conv(3, 2 * w, Activation.IDENTITY).stride(2, 2).build(), "r1");
        g.addLayer("r2n", bnRelu(), "r2");
        g.addLayer("r3", conv(3, 2 * w, Activation.RELU).build(), "r2n");
        g.addLayer("r4u", new Upsampling2D.Builder(2).build(), "r3");
        g.addLayer("r4", conv(3, w, Activation.RELU).build(), "r4u");
        String reconstructed;
        if (scoring) {
            g.addLayer("r5", conv(1, channels, Activation.SIGMOID).weightInit(WeightInit.XAVIER).build(), "r4");
            g.addLayer("r5u", new Upsampling2D.Builder(2).build(), "r5");
            reconstructed = "r5u";
        } else {
            g.addLayer("r5u", new Upsampling2D.Builder(2).build(), "r4");
            g.addLayer("r5", conv(1, channels, Activation.SIGMOID).weightInit(WeightInit.XAVIER).build(), "r5u");
            reconstructed = "r5";
        }
        g.addLayer(RECONSTRUCTION, new CnnLossLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).build(), reconstructed);
        // segmentation over image and reconstruction side by side: a U-net at 1/2, 1/4 and 1/8 resolution,
        // so a region is compared with the texture around it
        g.addVertex("pair", new MergeVertex(), INPUT, reconstructed);
        g.addLayer("s1", conv(2, w, Activation.RELU).stride(2, 2).build(), "pair");
        g.addLayer("s2", conv(3, 2 * w, Activation.IDENTITY).build(), "s1");
        g.addLayer("s2n", bnRelu(), "s2");
        g.addLayer("s3", conv(3, 2 * w, Activation.RELU).stride(2, 2).build(), "s2n");
        g.addLayer("s4", conv(3, 2 * w, Activation.RELU).build(), "s3");
        g.addLayer("s5", conv(3, 4 * w, Activation.RELU).stride(2, 2).build(), "s4");
        g.addLayer("s6", conv(3, 4 * w, Activation.RELU).build(), "s5");
        g.addLayer("s6u", new Upsampling2D.Builder(2).build(), "s6");
        g.addVertex("s6k", new MergeVertex(), "s6u", "s4");
        g.addLayer("s7", conv(3, 2 * w, Activation.RELU).build(), "s6k");
        g.addLayer("s7u", new Upsampling2D.Builder(2).build(), "s7");
        g.addVertex("s7k", new MergeVertex(), "s7u", "s2n");
        g.addLayer("s8", conv(3, w, Activation.RELU).build(), "s7k");
        g.addLayer("s9", conv(1, 2, Activation.IDENTITY).weightInit(WeightInit.XAVIER).build(), "s8");
        if (!scoring) {
            g.addLayer("s9u", new Upsampling2D.Builder(2).build(), "s9");
        }
        // two classes (normal, anomalous) per pixel, softmax; anomalous pixels weigh more: they are few
        g.addLayer(SEGMENTATION, new CnnLossLayer.Builder(new LossMCXENT(Nd4j.create(new float[] {1f, ANOMALY_WEIGHT})))
                .activation(Activation.SOFTMAX).build(), scoring ? "s9" : "s9u");
        g.setOutputs(RECONSTRUCTION, SEGMENTATION);
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    // no dilated convolutions: DL4J's oneDNN helper cannot run them and falls back to im2col, 10x slower
    private static ConvolutionLayer.Builder conv(int kernel, int out, Activation activation) {
        return new ConvolutionLayer.Builder(kernel, kernel).nOut(out).activation(activation);
    }

    private static BatchNormalization bnRelu() {
        return new BatchNormalization.Builder().activation(Activation.RELU).build();
    }
}
