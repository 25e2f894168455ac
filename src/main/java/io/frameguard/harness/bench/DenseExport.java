package io.frameguard.harness.bench;

import io.frameguard.FrameGuardException;
import io.frameguard.Json;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.Scorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A dense or shallow bundle's network in a form any language reads without DL4J: {@code manifest.json} naming
 * each layer's shape, activation and files, and every weight matrix ({@code [in, out]}, row-major)
 * and bias as raw little-endian float32. Optionally a few images with FrameGuard's own
 * reconstruction of them, so that the reader can check it rebuilt the same network. Read by
 * {@code bench/peer/score_bench.py}.
 */
public final class DenseExport {
    private DenseExport() {
    }

    /**
     * Writes {@code bundle}'s layers into {@code dir} and, when {@code checkPixels} holds any images,
     * those images (preprocessed) and their reconstruction by {@link Scorer#reconstruct}.
     *
     * @throws FrameGuardException when the network is not plain dense layers ending in a loss layer
     */
    public static void write(ModelBundle bundle, byte[] checkPixels, Path dir) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("model_id", bundle.modelId());
        manifest.put("input_size", bundle.spec().inputSize());
        manifest.put("output_size", bundle.spec().inputSize());
        manifest.put("scale", bundle.metadata().preprocessing().scale());
        List<Map<String, Object>> layers = new ArrayList<>();
        Layer[] network = bundle.network().getLayers();
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < network.length; i++) {
                layers.add(layer(bundle, network[i], i, i == network.length - 1, dir));
            }
            int pixels = bundle.spec().inputSize();
            if (checkPixels != null && checkPixels.length >= pixels) {
                int n = checkPixels.length / pixels;
                INDArray input = bundle.metadata().preprocessing().toInput(checkPixels, 0, n);
                floats(input, dir.resolve("check-inputs.f32"));
                floats(new Scorer(bundle).reconstruct(input), dir.resolve("check-outputs.f32"));
                manifest.put("check", Map.of("images", n, "inputs", "check-inputs.f32", "outputs", "check-outputs.f32"));
            }
            manifest.put("layers", layers);
            Json.write(manifest, dir.resolve("manifest.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not export " + bundle.modelId() + " to " + dir, e);
        }
    }

    private static Map<String, Object> layer(ModelBundle bundle, Layer layer, int i, boolean last, Path dir) throws IOException {
        var conf = layer.conf().getLayer();
        Map<String, Object> out = new LinkedHashMap<>();
        if (conf.getClass() == LossLayer.class) {
            out.put("activation", activation(bundle, ((LossLayer) conf).getActivationFn()));
            return out;
        }
        boolean bias;
        IActivation activation;
        if (conf.getClass() == DenseLayer.class && !((DenseLayer) conf).hasLayerNorm()) {
            bias = ((DenseLayer) conf).hasBias();
            activation = ((DenseLayer) conf).getActivationFn();
        } else if (last && conf.getClass() == OutputLayer.class) {
            // how bundles of format 1 end: a dense layer with a loss, which inference does not use
            bias = ((OutputLayer) conf).hasBias();
            activation = ((OutputLayer) conf).getActivationFn();
        } else {
            throw new FrameGuardException(bundle.modelId() + ": layer " + i + " is a " + conf.getClass().getSimpleName()
                    + "; only the dense and shallow families (plain dense layers) can be exported");
        }
        INDArray w = layer.getParam("W");
        out.put("inputs", w.size(0));
        out.put("outputs", w.size(1));
        out.put("weights", "layer" + i + ".W.f32");
        floats(w, dir.resolve("layer" + i + ".W.f32"));
        if (bias) {
            out.put("bias", "layer" + i + ".b.f32");
            floats(layer.getParam("b"), dir.resolve("layer" + i + ".b.f32"));
        }
        out.put("activation", activation(bundle, activation));
        return out;
    }

    private static String activation(ModelBundle bundle, IActivation a) {
        if (a instanceof ActivationReLU r && r.getMax() == null && zero(r.getThreshold()) && zero(r.getNegativeSlope())) {
            return "relu";
        }
        if (a instanceof ActivationSigmoid) {
            return "sigmoid";
        }
        if (a instanceof ActivationTanH) {
            return "tanh";
        }
        if (a instanceof ActivationIdentity) {
            return "identity";
        }
        throw new FrameGuardException(bundle.modelId() + ": activation " + a + " cannot be exported (relu, sigmoid, tanh,"
                + " identity can)");
    }

    private static boolean zero(Double d) {
        return d == null || d == 0;
    }

    /** A matrix's elements, row-major, as little-endian float32. */
    private static void floats(INDArray m, Path file) throws IOException {
        float[] values = m.dup('c').data().asFloat();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Files.write(file, bytes.array());
    }
}
