package io.frameguard.model;

import io.frameguard.FrameGuardException;
import io.frameguard.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained model in one file: a zip holding {@value #METADATA_ENTRY} (the {@link BundleMetadata}),
 * {@value #NETWORK_ENTRY} (the DL4J network in DL4J's layout, without updater state, read and
 * written by {@link BundleArchive}: never Java deserialization) and, for a score function that
 * needs them ({@link ScoreFunction#LATENT_KNN}), {@value #CODES_ENTRY}: the training images' codes as
 * a NumPy array. Loading restores all that scoring needs. Bundles are written atomically, so a crash
 * never leaves half a bundle behind.
 */
public final class ModelBundle {
    public static final int FORMAT_VERSION = 1;
    static final String METADATA_ENTRY = "frameguard-bundle.json";
    static final String NETWORK_ENTRY = "network.dl4j.zip";
    static final String CODES_ENTRY = "reference-codes.npy";

    private final MultiLayerNetwork network;
    private final BundleMetadata metadata;
    private final INDArray referenceCodes;

    public ModelBundle(MultiLayerNetwork network, BundleMetadata metadata) {
        this(network, metadata, null);
    }

    /**
     * @param referenceCodes {@code [m, z]} codes of the training images, or null when the score
     *     function does not use them
     */
    public ModelBundle(MultiLayerNetwork network, BundleMetadata metadata, INDArray referenceCodes) {
        if (metadata.scoreFunction().needsReferenceCodes() && referenceCodes == null) {
            throw new IllegalArgumentException(metadata.scoreFunction() + " scoring needs the training images' codes");
        }
        this.network = network;
        this.metadata = metadata;
        // c order: NumPy's .npy writer in ND4J records an f-ordered array's buffer as if it were c
        this.referenceCodes = referenceCodes == null || referenceCodes.ordering() == 'c' ? referenceCodes
                : referenceCodes.dup('c');
    }

    /**
     * A freshly initialised, untrained network of {@code spec} with everything scoring needs but
     * calibration and provenance: for training and benchmarks.
     */
    public static ModelBundle untrained(ModelSpec spec, Map<String, String> versions) {
        BundleMetadata meta = new BundleMetadata(FORMAT_VERSION, "untrained-" + spec.family().cliName(), spec,
                Preprocessing.unitScale(spec.width(), spec.height()), spec.family().defaultScore(), null, null,
                versions, null);
        return new ModelBundle(Architectures.build(spec), meta);
    }

    /**
     * This bundle with its own clone of the network, for another thread: metadata and reference
     * codes are read-only during scoring and are shared.
     */
    public ModelBundle withClonedNetwork() {
        return new ModelBundle(network.clone(), metadata, referenceCodes);
    }

    public MultiLayerNetwork network() {
        return network;
    }

    public BundleMetadata metadata() {
        return metadata;
    }

    public ModelSpec spec() {
        return metadata.spec();
    }

    public String modelId() {
        return metadata.modelId();
    }

    /** The training images' codes {@code [m, z]} for {@link ScoreFunction#LATENT_KNN}, or null. */
    public INDArray referenceCodes() {
        return referenceCodes;
    }

    public void save(Path file) {
        BundleArchive.write(file, METADATA_ENTRY, metadata, NETWORK_ENTRY, network.getLayerWiseConfigurations().toJson(),
                network.params(), referenceCodes == null ? Map.of() : Map.of(CODES_ENTRY, Nd4j.toNpyByteArray(referenceCodes)));
    }

    /** Loads a bundle without Java deserialization ({@link BundleArchive}); every kind of bad bundle fails with one line. */
    public static ModelBundle load(Path file) {
        BundleArchive archive = new BundleArchive(file, why -> notABundle(file, why));
        Map<String, byte[]> entries;
        try {
            entries = archive.read(Set.of(METADATA_ENTRY, NETWORK_ENTRY, CODES_ENTRY), Set.of(METADATA_ENTRY, NETWORK_ENTRY));
        } catch (NoSuchFileException e) {
            throw new FrameGuardException("model bundle " + file + " does not exist (train one with: frameguard train)");
        }
        JsonNode tree = archive.metadata(METADATA_ENTRY, entries.get(METADATA_ENTRY));
        BundleMetadata meta;
        try {
            meta = Json.MAPPER.treeToValue(tree, BundleMetadata.class);
        } catch (IOException | IllegalArgumentException e) {
            throw notABundle(file, "its metadata is unreadable: " + BundleArchive.firstLine(e));
        }
        if (meta.formatVersion() > FORMAT_VERSION) {
            throw new FrameGuardException(file + " is bundle format " + meta.formatVersion()
                    + "; this FrameGuard reads up to " + FORMAT_VERSION + " (upgrade FrameGuard)");
        }
        if (meta.scoreFunction().needsReferenceCodes() && !entries.containsKey(CODES_ENTRY)) {
            throw notABundle(file, "it is scored by " + meta.scoreFunction() + " but lacks " + CODES_ENTRY);
        }
        MultiLayerNetwork net = network(archive, archive.network(NETWORK_ENTRY, entries.get(NETWORK_ENTRY),
                tree.hasNonNull(BundleArchive.PARAMS_SHA256) ? tree.get(BundleArchive.PARAMS_SHA256).asText() : null));
        INDArray codes = null;
        if (entries.containsKey(CODES_ENTRY)) {
            try {
                codes = Nd4j.createNpyFromByteArray(entries.get(CODES_ENTRY));
            } catch (RuntimeException e) {
                throw notABundle(file, "its " + CODES_ENTRY + " is unreadable: " + e.getMessage());
            }
            if (codes.rank() != 2 || codes.size(1) != meta.spec().latentSize()) {
                throw notABundle(file, "its " + CODES_ENTRY + " has shape " + Arrays.toString(codes.shape())
                        + ", not [n, " + meta.spec().latentSize() + "]");
            }
        }
        return new ModelBundle(net, meta, codes);
    }

    private static MultiLayerNetwork network(BundleArchive archive, BundleArchive.Network stored) {
        MultiLayerConfiguration conf;
        try {
            conf = MultiLayerConfiguration.fromJson(stored.configuration());
        } catch (RuntimeException e) {
            throw archive.bad("its network configuration is unreadable: " + BundleArchive.firstLine(e));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        try {
            net.init(stored.params(), false);
        } catch (RuntimeException e) {
            throw archive.bad("its parameters do not fit its network configuration: " + BundleArchive.firstLine(e));
        }
        return net;
    }

    private static FrameGuardException notABundle(Path file, String why) {
        return new FrameGuardException(file + " is not a FrameGuard model bundle: " + why);
    }
}
