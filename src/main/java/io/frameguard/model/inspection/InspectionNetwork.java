package io.frameguard.model.inspection;

import java.util.Map;
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
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

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
     * (its upsampling and softmax were a quarter of a 256×256 pass at width 8). Its batch
     * normalizations are folded into the convolutions before them ({@link #FOLDED}), and it upsamples
     * with {@link NearestUpsampling}. Same outputs, to rounding. A network of another layout (a bundle
     * from an older FrameGuard whose layers differ) is returned as it is.
     */
    public static ComputationGraph forScoring(ComputationGraph trained, int channels) {
        if (trained.getConfiguration().getVertices().get("r1") == null
                || !(trained.getLayer("r1").getConfig() instanceof ConvolutionLayer first)) {
            return trained;
        }
        for (String norm : FOLDED.values()) {
            if (trained.getConfiguration().getVertices().get(norm) == null
                    || !(trained.getLayer(norm).getConfig() instanceof BatchNormalization)) {
                return trained;
            }
        }
        ComputationGraph scoring = graph(channels, (int) first.getNOut(), 64, 1e-3, 1L, true);
        long folded = 0;
        for (org.deeplearning4j.nn.api.Layer layer : trained.getLayers()) {
            String name = layer.getConfig().getLayerName();
            if (FOLDED.containsValue(name)) {
                folded += layer.numParams();
            } else if (layer.numParams() > 0 && (scoring.getConfiguration().getVertices().get(name) == null
                    || scoring.getLayer(name).numParams() != layer.numParams())) {
                return trained;
            }
        }
        if (scoring.numParams() + folded != trained.numParams()) {
            return trained;
        }
        for (org.deeplearning4j.nn.api.Layer layer : trained.getLayers()) {
            String name = layer.getConfig().getLayerName();
            if (layer.numParams() > 0 && !FOLDED.containsValue(name)) {
                scoring.getLayer(name).setParams(layer.params().dup());
            }
        }
        FOLDED.forEach((conv, norm) -> fold(trained.getLayer(conv), trained.getLayer(norm), scoring.getLayer(conv)));
        return scoring;
    }

    /** Convolutions (keys) whose batch normalization (values) the scoring graph folds into their weights and bias. */
    static final Map<String, String> FOLDED = Map.of("r2", "r2n", "s2", "s2n");

    /**
     * Sets {@code into}'s weights and bias to those of {@code conv} followed by {@code norm} in
     * inference mode: with {@code s = γ / √(σ² + ε)} per output map, {@code W' = s·W} and
     * {@code b' = s·(b − μ) + β}.
     */
    private static void fold(org.deeplearning4j.nn.api.Layer conv, org.deeplearning4j.nn.api.Layer norm,
                             org.deeplearning4j.nn.api.Layer into) {
        BatchNormalization config = (BatchNormalization) norm.getConfig();
        INDArray bias = conv.getParam(ConvolutionParamInitializer.BIAS_KEY);
        long maps = bias.length();
        INDArray variance;
        if (config.isUseLogStd()) {
            // σ² = (10^log10σ)²
            variance = Transforms.pow(Nd4j.valueArrayOf(new long[] {maps}, 10.0, bias.dataType()),
                    norm.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).reshape(maps).mul(2));
        } else {
            variance = norm.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(maps).dup();
        }
        INDArray scale = norm.getParam(BatchNormalizationParamInitializer.GAMMA).reshape(maps)
                .div(Transforms.sqrt(variance.addi(config.getEps()), false));
        INDArray weights = conv.getParam(ConvolutionParamInitializer.WEIGHT_KEY).dup('c');
        weights.reshape('c', maps, weights.length() / maps).muliColumnVector(scale.reshape(maps, 1));
        INDArray shifted = bias.reshape(maps).sub(norm.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(maps))
                .muli(scale).addi(norm.getParam(BatchNormalizationParamInitializer.BETA).reshape(maps));
        into.setParam(ConvolutionParamInitializer.WEIGHT_KEY, weights);
        into.setParam(ConvolutionParamInitializer.BIAS_KEY, shifted.reshape(bias.shape()));
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
        String r2 = normalized(g, "r2", conv(3, 2 * w, Activation.IDENTITY).stride(2, 2), "r1", scoring);
        g.addLayer("r3", conv(3, 2 * w, Activation.RELU).build(), r2);
        upsample(g, "r4u", "r3", scoring);
        g.addLayer("r4", conv(3, w, Activation.RELU).build(), "r4u");
        String reconstructed;
        if (scoring) {
            g.addLayer("r5", conv(1, channels, Activation.SIGMOID).weightInit(WeightInit.XAVIER).build(), "r4");
            upsample(g, "r5u", "r5", true);
            reconstructed = "r5u";
        } else {
            upsample(g, "r5u", "r4", false);
            g.addLayer("r5", conv(1, channels, Activation.SIGMOID).weightInit(WeightInit.XAVIER).build(), "r5u");
            reconstructed = "r5";
        }
        g.addLayer(RECONSTRUCTION, new CnnLossLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).build(), reconstructed);
        // segmentation over image and reconstruction side by side: a U-net at 1/2, 1/4 and 1/8 resolution,
        // so a region is compared with the texture around it
        g.addVertex("pair", new MergeVertex(), INPUT, reconstructed);
        g.addLayer("s1", conv(2, w, Activation.RELU).stride(2, 2).build(), "pair");
        String s2 = normalized(g, "s2", conv(3, 2 * w, Activation.IDENTITY), "s1", scoring);
        g.addLayer("s3", conv(3, 2 * w, Activation.RELU).stride(2, 2).build(), s2);
        g.addLayer("s4", conv(3, 2 * w, Activation.RELU).build(), "s3");
        g.addLayer("s5", conv(3, 4 * w, Activation.RELU).stride(2, 2).build(), "s4");
        g.addLayer("s6", conv(3, 4 * w, Activation.RELU).build(), "s5");
        upsample(g, "s6u", "s6", scoring);
        g.addVertex("s6k", new MergeVertex(), "s6u", "s4");
        g.addLayer("s7", conv(3, 2 * w, Activation.RELU).build(), "s6k");
        upsample(g, "s7u", "s7", scoring);
        g.addVertex("s7k", new MergeVertex(), "s7u", s2);
        g.addLayer("s8", conv(3, w, Activation.RELU).build(), "s7k");
        g.addLayer("s9", conv(1, 2, Activation.IDENTITY).weightInit(WeightInit.XAVIER).build(), "s8");
        if (!scoring) {
            upsample(g, "s9u", "s9", false);
        }
        // two classes (normal, anomalous) per pixel, softmax; anomalous pixels weigh more: they are few
        g.addLayer(SEGMENTATION, new CnnLossLayer.Builder(new LossMCXENT(Nd4j.create(new float[] {1f, ANOMALY_WEIGHT})))
                .activation(Activation.SOFTMAX).build(), scoring ? "s9" : "s9u");
        g.setOutputs(RECONSTRUCTION, SEGMENTATION);
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    /** DL4J's layer where the graph is trained, {@link NearestUpsampling} (same output, faster) where it only scores. */
    private static void upsample(ComputationGraphConfiguration.GraphBuilder g, String name, String input, boolean scoring) {
        if (scoring) {
            g.addVertex(name, new NearestUpsampling(), input);
        } else {
            g.addLayer(name, new Upsampling2D.Builder(2).build(), input);
        }
    }

    // no dilated convolutions: DL4J's oneDNN helper cannot run them and falls back to im2col, 10x slower
    private static ConvolutionLayer.Builder conv(int kernel, int out, Activation activation) {
        return new ConvolutionLayer.Builder(kernel, kernel).nOut(out).activation(activation);
    }

    /**
     * A convolution and a batch normalization where the graph is trained (the normalization named
     * {@code name + "n"}); where it only scores, the convolution alone, the normalization folded into
     * it by {@link #forScoring}. Returns the name of the output.
     *
     * <p>The normalization is configured with a ReLU, but DL4J 1.0.0-M2.1's {@code BatchNormalization}
     * never applies its activation ({@code activate} returns {@code preOutput}): every trained bundle
     * normalizes linearly, and so does the fold.
     */
    private static String normalized(ComputationGraphConfiguration.GraphBuilder g, String name, ConvolutionLayer.Builder conv,
                                     String input, boolean scoring) {
        g.addLayer(name, conv.build(), input);
        if (scoring) {
            return name;
        }
        g.addLayer(name + "n", new BatchNormalization.Builder().activation(Activation.RELU).build(), name);
        return name + "n";
    }
}
