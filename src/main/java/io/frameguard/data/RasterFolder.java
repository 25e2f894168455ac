package io.frameguard.data;

import io.frameguard.FrameGuardException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder of inspection frames at their own size: every PNG/JPEG in it, labelled by the subfolder
 * it is in ({@value ImageFiles#UNLABELLED} when directly in the folder), with a ground-truth mask
 * where {@code ground_truth/<label>/<name>_mask.png} exists (the MVTec AD layout, which
 * {@code data synth} writes).
 */
public final class RasterFolder {
    public static final String GROUND_TRUTH = "ground_truth";
    public static final String MASK_SUFFIX = "_mask.png";

    private RasterFolder() {
    }

    /** {@code dataset/split} when that folder exists, else {@code dataset} itself. */
    public static Path split(String dataset, String split) {
        Path dir = Path.of(dataset);
        if (!Files.isDirectory(dir)) {
            throw new FrameGuardException("'" + dataset + "' is not a folder of images (inspection models read image folders)");
        }
        Path sub = dir.resolve(split);
        return Files.isDirectory(sub) ? sub : dir;
    }

    public static LabelledRasters read(Path dir) {
        List<Raster> images = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Raster> masks = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Path file : files(dir)) {
            Path parent = dir.relativize(file).getParent();
            String label = parent == null ? ImageFiles.UNLABELLED : parent.toString();
            try {
                images.add(Raster.read(file, 0));
            } catch (FrameGuardException e) {
                unreadable.add(dir.relativize(file).toString());
                continue;
            }
            labels.add(label);
            String name = file.getFileName().toString();
            Path mask = dir.resolve(GROUND_TRUTH).resolve(label).resolve(name.substring(0, name.lastIndexOf('.')) + MASK_SUFFIX);
            masks.add(Files.isRegularFile(mask) ? Raster.read(mask, 1) : null);
        }
        if (!unreadable.isEmpty()) {
            throw new FrameGuardException(dir + ": " + unreadable.size() + " file(s) are not readable images: "
                    + String.join(", ", unreadable.subList(0, Math.min(5, unreadable.size()))));
        }
        if (images.isEmpty()) {
            throw new FrameGuardException(dir + " holds no image files");
        }
        return new LabelledRasters(images, labels, masks);
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir, 2)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !dir.relativize(p).startsWith(GROUND_TRUTH))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new FrameGuardException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
