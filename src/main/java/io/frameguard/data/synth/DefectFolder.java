package io.frameguard.data.synth;

import io.frameguard.FrameGuardException;
import io.frameguard.data.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The on-disk layout of a labelled split, as in MVTec AD: {@code good/<stem>.png} for clean images,
 * {@code <kind>/<stem>.png} for defect images and {@code ground_truth/<kind>/<stem>_mask.png} for
 * their masks (8-bit gray, 255 inside the defect). {@code data synth} and {@link TextureDataset}
 * write it; experiments read it back.
 */
public final class DefectFolder {
    public static final String GOOD = "good";
    public static final String GROUND_TRUTH = "ground_truth";
    private static final String MASK_SUFFIX = "_mask.png";

    private DefectFolder() {
    }

    public static void writeGood(Path splitDir, String stem, Raster image) {
        image.writePng(splitDir.resolve(GOOD).resolve(stem + ".png"));
    }

    public static void writeDefect(Path splitDir, String stem, Defect defect) {
        String kind = defect.kind().cliName();
        defect.image().writePng(splitDir.resolve(kind).resolve(stem + ".png"));
        defect.mask().writePng(splitDir.resolve(GROUND_TRUTH).resolve(kind).resolve(stem + MASK_SUFFIX));
    }

    /**
     * Every image of the split, sorted by label then file name. A defect image without its mask is
     * an error naming the missing file; any folder other than {@value #GOOD} and {@value #GROUND_TRUTH}
     * is a label.
     */
    public static LabelledRasters read(Path splitDir) {
        if (!Files.isDirectory(splitDir)) {
            throw new FrameGuardException(splitDir + " is not a folder; expected good/, <kind>/ and ground_truth/<kind>/ in it");
        }
        List<Raster> images = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Raster> masks = new ArrayList<>();
        for (Path labelDir : sorted(splitDir, Files::isDirectory)) {
            String label = labelDir.getFileName().toString();
            if (label.equals(GROUND_TRUTH)) {
                continue;
            }
            for (Path file : sorted(labelDir, f -> f.toString().endsWith(".png") || f.toString().endsWith(".jpg"))) {
                images.add(Raster.read(file, 0));
                labels.add(label);
                masks.add(label.equals(GOOD) ? null : readMask(splitDir, label, file));
            }
        }
        if (images.isEmpty()) {
            throw new FrameGuardException(splitDir + " holds no images in good/ or <kind>/ folders");
        }
        return new LabelledRasters(images, labels, masks);
    }

    private static Raster readMask(Path splitDir, String label, Path image) {
        String name = image.getFileName().toString();
        String stem = name.substring(0, name.lastIndexOf('.'));
        Path mask = splitDir.resolve(GROUND_TRUTH).resolve(label).resolve(stem + MASK_SUFFIX);
        if (!Files.isRegularFile(mask)) {
            throw new FrameGuardException(image + " has no ground-truth mask; expected " + mask);
        }
        return Raster.read(mask, 1);
    }

    static List<Path> sorted(Path dir, java.util.function.Predicate<Path> filter) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).filter(filter).sorted().toList();
        } catch (IOException e) {
            throw new FrameGuardException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
