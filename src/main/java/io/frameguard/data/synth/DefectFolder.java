package io.frameguard.data.synth;

import io.frameguard.data.LabelledRasters;
import io.frameguard.data.RasterFolder;
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
    public static final String GROUND_TRUTH = RasterFolder.GROUND_TRUTH;
    private static final String MASK_SUFFIX = RasterFolder.MASK_SUFFIX;

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
        LabelledRasters split = RasterFolder.read(splitDir);
        for (int i = 0; i < split.size(); i++) {
            String label = split.labels().get(i);
            if (!label.equals(GOOD) && split.masks().get(i) == null) {
                throw new FrameGuardException(splitDir + ": an image of " + label + "/ has no ground-truth mask in "
                        + GROUND_TRUTH + "/" + label + "/ (<name>" + MASK_SUFFIX + ")");
            }
        }
        return split;
    }

    static List<Path> sorted(Path dir, java.util.function.Predicate<Path> filter) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).filter(filter).sorted().toList();
        } catch (IOException e) {
            throw new FrameGuardException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
