package io.frameguard.cli;

import io.frameguard.FrameGuardException;
import io.frameguard.data.Raster;
import io.frameguard.data.synth.DefectFolder;
import io.frameguard.data.synth.DefectGenerator;
import io.frameguard.data.synth.DefectKind;
import io.frameguard.data.synth.Defect;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code data synth}: a labelled test folder of clean images and synthetic defects with masks. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "From a folder of normal PNG/JPEG images (any size, gray or RGB), write a labelled test folder:"
                + " good/, <kind>/ and ground_truth/<kind>/*_mask.png. Deterministic with --seed. Prints per kind how far the"
                + " defects stand out: the median change under the mask, over the surface's local contrast.")
final class SynthDataCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--normal", required = true, paramLabel = "DIR", description = "Folder of normal images (searched recursively).")
    Path normal;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write; must be empty or absent.")
    Path out;

    @Option(names = "--kinds", split = ",", paramLabel = "KIND",
            description = "Defect kinds, comma-separated (default: all of scratch, spot, crack, foreign-texture, hole,"
                    + " smear, brightness).")
    List<String> kinds;

    @Option(names = "--per-kind", defaultValue = "10", paramLabel = "N", description = "Images per defect kind (default: ${DEFAULT-VALUE}).")
    int perKind;

    @Option(names = "--good", paramLabel = "N", description = "Clean images (default: twice --per-kind).")
    Integer good;

    @Option(names = "--size", paramLabel = "WxH",
            description = "Cut random crops of this size (e.g. 64 or 128x96) instead of using whole images.")
    String size;

    @Option(names = "--foreign", paramLabel = "DIR",
            description = "Images of other materials for foreign-texture defects (default: a procedural texture).")
    Path foreign;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        List<DefectKind> which = kinds == null ? List.of(DefectKind.values()) : kinds.stream().map(DefectKind::byName).toList();
        int goodCount = good == null ? 2 * perKind : good;
        if (perKind < 0 || goodCount < 0) {
            throw new FrameGuardException("--per-kind and --good must not be negative");
        }
        int[] crop = size == null ? null : parseSize(size);
        List<Path> files = images(normal, "--normal");
        requireEmpty(out);
        List<Raster> foreignTextures = foreign == null ? List.of() : images(foreign, "--foreign").stream().map(f -> Raster.read(f, 0)).toList();
        DefectGenerator generator = new DefectGenerator(foreignTextures);
        Random random = new Random(seed);
        PrintWriter pw = spec.commandLine().getOut();
        int n = 0;
        for (int i = 0; i < goodCount; i++) {
            DefectFolder.writeGood(out, String.format("%s_%03d", DefectFolder.GOOD, i), cut(files.get(n++ % files.size()), crop, random));
        }
        pw.printf("%-16s %d%n", DefectFolder.GOOD, goodCount);
        for (DefectKind kind : which) {
            float[] changes = new float[perKind];
            float[] ratios = new float[perKind];
            for (int i = 0; i < perKind; i++) {
                Raster clean = cut(files.get(n++ % files.size()), crop, random);
                Defect defect = generator.apply(clean, kind, random);
                DefectFolder.writeDefect(out, String.format("%s_%03d", kind.cliName(), i), defect);
                changes[i] = DefectGenerator.meanChangeUnderMask(clean, defect);
                ratios[i] = DefectGenerator.contrastRatio(clean, defect);
            }
            pw.printf("%-16s %d (+ %d masks in %s/%s)%s%n", kind.cliName(), perKind, perKind, DefectFolder.GROUND_TRUTH,
                    kind.cliName(), perKind == 0 ? "" : visibility(changes, ratios));
        }
        pw.printf("wrote %d images to %s from %d normal image(s) in %s (seed %d)%n",
                goodCount + perKind * which.size(), out, files.size(), normal, seed);
        pw.flush();
        return 0;
    }

    /**
     * How plainly a kind's defects show: the median change under the mask, the median of that change
     * over the local contrast ({@link DefectGenerator#contrastRatio}), and how many fall under half of
     * it, where the defect is fainter than the surface's own variation around it.
     */
    static String visibility(float[] changes, float[] ratios) {
        long faint = 0;
        for (float r : ratios) {
            if (r < FAINT_BELOW) {
                faint++;
            }
        }
        float ratio = median(ratios);
        return String.format(Locale.ROOT, "; change under the mask: median %.3f, %sx the local contrast; %d%% under %.1fx",
                median(changes), Float.isInfinite(ratio) ? "inf" : String.format(Locale.ROOT, "%.2f", ratio),
                Math.round(100.0 * faint / ratios.length), FAINT_BELOW);
    }

    /** Below this share of the local contrast a defect is faint against the texture around it. */
    static final float FAINT_BELOW = DefectGenerator.MIN_CONTRAST_RATIO;

    private static float median(float[] v) {
        float[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The whole image, or a random {@code crop[0] × crop[1]} window of it. */
    private static Raster cut(Path file, int[] crop, Random random) {
        Raster image = Raster.read(file, 0);
        if (crop == null) {
            return image;
        }
        if (image.width() < crop[0] || image.height() < crop[1]) {
            throw new FrameGuardException(file + " is " + image.width() + "x" + image.height() + ", smaller than --size "
                    + crop[0] + "x" + crop[1] + "; choose a smaller --size");
        }
        return image.crop(random.nextInt(image.width() - crop[0] + 1), random.nextInt(image.height() - crop[1] + 1), crop[0], crop[1]);
    }

    static int[] parseSize(String text) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("x");
        try {
            int w = Integer.parseInt(parts[0].trim());
            int h = parts.length == 1 ? w : Integer.parseInt(parts[1].trim());
            if (parts.length > 2 || w < 8 || h < 8) {
                throw new NumberFormatException();
            }
            return new int[] {w, h};
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new FrameGuardException("--size '" + text + "' is not a size; write e.g. 64 or 128x96 (at least 8 pixels a side)");
        }
    }

    private static List<Path> images(Path dir, String option) {
        if (!Files.isDirectory(dir)) {
            throw new FrameGuardException(option + " " + dir + " is not a folder");
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile).filter(f -> {
                String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
                return !name.startsWith(".") && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
            }).sorted().toList();
            if (files.isEmpty()) {
                throw new FrameGuardException(option + " " + dir + " holds no PNG or JPEG images");
            }
            return files;
        } catch (IOException e) {
            throw new FrameGuardException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void requireEmpty(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new FrameGuardException("--out " + dir + " already holds files; choose a new folder or empty it first");
            }
        } catch (IOException e) {
            throw new FrameGuardException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
