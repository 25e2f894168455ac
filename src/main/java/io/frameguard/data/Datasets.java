package io.frameguard.data;

import io.frameguard.FrameGuardException;
import io.frameguard.data.KnownDataset.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads datasets by name from the data directory: {@code mnist}, {@code fashion-mnist}, or the path
 * of an image folder (with {@code train/} and {@code test/} sub-folders, or one folder used for both).
 * Loaded IDX sets are cached for the life of the process, since experiments read them many times.
 */
public final class Datasets {
    public static final int MNIST_SIZE = 28;

    private final Path dataDir;
    private final Map<String, ImageSet> cache = new ConcurrentHashMap<>();

    public Datasets(Path dataDir) {
        this.dataDir = dataDir;
    }

    public Path dataDir() {
        return dataDir;
    }

    public ImageSet load(String spec, Split split) {
        return cache.computeIfAbsent(spec + "/" + split, k -> read(spec, split));
    }

    private ImageSet read(String spec, Split split) {
        if (KnownDataset.ids().contains(spec)) {
            KnownDataset ds = KnownDataset.byId(spec);
            Path dir = dataDir.resolve(ds.id());
            Path images = dir.resolve(ds.imagesFile(split));
            if (!Files.exists(images)) {
                throw new FrameGuardException(spec + " is not in " + dataDir + " (run: frameguard data fetch --dataset "
                        + spec + ")");
            }
            return IdxReader.read(spec + "/" + split.name().toLowerCase(), images, dir.resolve(ds.labelsFile(split)));
        }
        Path dir = Path.of(spec);
        if (!Files.isDirectory(dir)) {
            throw new FrameGuardException("unknown dataset '" + spec + "': not one of " + KnownDataset.ids()
                    + " and not a folder");
        }
        Path sub = dir.resolve(split == Split.TRAIN ? "train" : "test");
        return ImageFiles.readFolder(Files.isDirectory(sub) ? sub : dir, MNIST_SIZE, MNIST_SIZE);
    }
}
