package io.frameguard.data;

import io.frameguard.FrameGuardException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The public datasets FrameGuard fetches itself, with the SHA-256 of every file it keeps. */
public enum KnownDataset {
    MNIST("mnist", "", Map.of(
            "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),
    FASHION_MNIST("fashion-mnist", ".gz", Map.of(
            "train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
            "train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
            "t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
            "t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"));

    private final String id;
    private final String suffix;
    private final Map<String, String> sha256;

    KnownDataset(String id, String suffix, Map<String, String> sha256) {
        this.id = id;
        this.suffix = suffix;
        this.sha256 = sha256;
    }

    public String id() {
        return id;
    }

    /** File name → expected SHA-256 (hex). */
    public Map<String, String> files() {
        return sha256;
    }

    public String imagesFile(Split split) {
        return split.prefix + "-images-idx3-ubyte" + suffix;
    }

    public String labelsFile(Split split) {
        return split.prefix + "-labels-idx1-ubyte" + suffix;
    }

    public static KnownDataset byId(String id) {
        return Arrays.stream(values()).filter(d -> d.id.equals(id)).findFirst()
                .orElseThrow(() -> new FrameGuardException("unknown dataset '" + id + "'; known: " + ids()));
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(KnownDataset::id).toList();
    }

    /** The two splits every known dataset ships. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }
}
