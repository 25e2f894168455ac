package io.frameguard.model.inspection;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.frameguard.FrameGuardException;
import io.frameguard.Json;
import io.frameguard.model.Calibration;
import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.model.BundleArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A trained inspection model in one file, laid out like the digit bundles: a zip holding
 * {@value #METADATA_ENTRY} ({@link Metadata}) and {@value #NETWORK_ENTRY} (the DL4J graph without
 * updater state), read and written by {@link BundleArchive}, never by Java deserialization.
 * Written atomically.
 */
public final class InspectionBundle {
    public static final String KIND = "inspection";
    /** Format 1: the segmentation map. */
    public static final int FORMAT_VERSION = 1;
    /**
     * The highest format this FrameGuard reads. A bundle whose {@code map} is not the segmentation is
     * written as format 2, so that a FrameGuard from before the field refuses it rather than score the
     * segmentation against another map's calibration.
     */
    public static final int FORMAT_VERSION_MAP = 2;
    static final String METADATA_ENTRY = "frameguard-inspection.json";
    static final String NETWORK_ENTRY = "network.dl4j.zip";

    private final ComputationGraph network;
    private final Metadata metadata;

    public InspectionBundle(ComputationGraph network, Metadata metadata) {
        this.network = network;
        this.metadata = metadata;
    }

    /**
     * @param modelId family, dataset and a hash of the weights
     * @param tile side of the square training crops; frames must be at least this large
     * @param channels image channels the network takes (1 or 3)
     * @param width the network's map count
     * @param smoothing side of the mean filter over the anomaly map before its maximum is the image score
     * @param map which map the image score comes from ({@link AnomalyMapKind}); null for the segmentation
     * @param calibration image scores of held-out normal images
     * @param dataset where the normal images came from
     * @param trainImages how many normal images the crops were drawn from
     * @param patches crops seen in training (steps × batch)
     * @param steps gradient steps
     * @param seed seed of weights, crops and synthetic anomalies
     */
    public record Metadata(
            String kind,
            @JsonProperty("format_version") int formatVersion,
            @JsonProperty("model_id") String modelId,
            String family,
            int tile,
            int channels,
            int width,
            int smoothing,
            Calibration calibration,
            String dataset,
            @JsonProperty("train_images") int trainImages,
            int patches,
            int steps,
            long seed,
            @JsonProperty("train_seconds") double trainSeconds,
            Map<String, String> versions,
            @JsonProperty("created_at") String createdAt,
            String map) {

        /** Metadata whose image score comes from the segmentation map (bundles from before {@code map} existed). */
        public Metadata(String kind, int formatVersion, String modelId, String family, int tile, int channels, int width,
                        int smoothing, Calibration calibration, String dataset, int trainImages, int patches, int steps, long seed,
                        double trainSeconds, Map<String, String> versions, String createdAt) {
            this(kind, formatVersion, modelId, family, tile, channels, width, smoothing, calibration, dataset, trainImages,
                    patches, steps, seed, trainSeconds, versions, createdAt, null);
        }

        /** Which map the image score comes from; absent in older bundles, which score the segmentation. */
        public AnomalyMapKind mapKind() {
            return AnomalyMapKind.byName(map);
        }

        /**
         * The calibration, scores of {@code tile × tile} crops, as it would be for frames of
         * {@code width × height} ({@link Calibration#forArea}): a frame's score is the maximum of its map.
         */
        public double[] calibrationFor(int width, int height) {
            return calibration.forArea((double) width * height / ((double) tile * tile));
        }

        public Metadata withScore(AnomalyMapKind m, int k, Calibration c) {
            int format = m == AnomalyMapKind.SEGMENTATION ? formatVersion : Math.max(formatVersion, FORMAT_VERSION_MAP);
            return new Metadata(kind, format, modelId, family, tile, channels, width, k, c, dataset, trainImages,
                    patches, steps, seed, trainSeconds, versions, createdAt, m.cliName());
        }
    }

    public ComputationGraph network() {
        return network;
    }

    public Metadata metadata() {
        return metadata;
    }

    public InspectionBundle with(Metadata m) {
        return new InspectionBundle(network, m);
    }

    /** A scorer of its own (one per thread), batching up to {@code maxBatch} same-sized frames. */
    public InspectionScorer scorer(int maxBatch) {
        return new InspectionScorer(network, metadata.channels(), metadata.mapKind(), metadata.smoothing(), maxBatch);
    }

    public void save(Path file) {
        BundleArchive.write(file, METADATA_ENTRY, metadata, NETWORK_ENTRY, network.getConfiguration().toJson(), network.params(),
                Map.of());
    }

    /** Whether {@code file} is an inspection bundle (it has this kind's metadata entry). */
    public static boolean isInspectionBundle(Path file) {
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals(METADATA_ENTRY)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Loads without Java deserialization, as {@link io.frameguard.model.ModelBundle#load} does. */
    public static InspectionBundle load(Path file) {
        BundleArchive archive = new BundleArchive(file, why -> notABundle(file, why));
        Map<String, byte[]> entries;
        try {
            entries = archive.read(Set.of(METADATA_ENTRY, NETWORK_ENTRY), Set.of(METADATA_ENTRY, NETWORK_ENTRY));
        } catch (NoSuchFileException e) {
            throw new FrameGuardException("model bundle " + file + " does not exist (train one with: frameguard train --model draem)");
        }
        JsonNode tree = archive.metadata(METADATA_ENTRY, entries.get(METADATA_ENTRY));
        Metadata meta;
        try {
            meta = Json.MAPPER.treeToValue(tree, Metadata.class);
        } catch (IOException | IllegalArgumentException e) {
            throw notABundle(file, "its metadata is unreadable: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (meta.formatVersion() > FORMAT_VERSION_MAP) {
            throw new FrameGuardException(file + " is inspection bundle format " + meta.formatVersion()
                    + "; this FrameGuard reads up to " + FORMAT_VERSION_MAP + " (upgrade FrameGuard)");
        }
        try {
            meta.mapKind();
        } catch (FrameGuardException e) {
            throw notABundle(file, e.getMessage());
        }
        BundleArchive.Network stored = archive.network(NETWORK_ENTRY, entries.get(NETWORK_ENTRY),
                tree.hasNonNull(BundleArchive.PARAMS_SHA256) ? tree.get(BundleArchive.PARAMS_SHA256).asText() : null);
        ComputationGraph graph;
        try {
            graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(stored.configuration()));
        } catch (RuntimeException e) {
            throw notABundle(file, "its network configuration is unreadable: " + e.getMessage().lines().findFirst().orElse(""));
        }
        try {
            graph.init(stored.params(), false);
        } catch (RuntimeException e) {
            throw notABundle(file, "its parameters do not fit its network configuration: " + e.getMessage());
        }
        return new InspectionBundle(graph, meta);
    }

    private static FrameGuardException notABundle(Path file, String why) {
        return new FrameGuardException(file + " is not a FrameGuard inspection bundle: " + why);
    }
}
