package io.frameguard.data.synth;

import io.frameguard.data.LabelledRasters;
import io.frameguard.FileTrees;
import io.frameguard.FrameGuardException;
import io.frameguard.data.Raster;
import io.frameguard.data.SkimagePhotos;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;
import java.util.Random;

/**
 * An MVTec-AD-style dataset cut from one large photograph of a surface, so that no pixel is in two
 * splits: the top half gives the training tiles, the band at 50–70 % of the height the validation
 * crops, the bottom 30 % the test crops.
 *
 * <pre>
 * train/good/good_000_x0_y0.png                        non-overlapping tiles of 2 × cropSize
 * validation/{good,&lt;kind&gt;}/…, validation/ground_truth/&lt;kind&gt;/…_mask.png
 * test/{good,&lt;kind&gt;}/…,       test/ground_truth/&lt;kind&gt;/…_mask.png
 * </pre>
 *
 * Crops are drawn at random from their band (crops of one split may overlap each other) and carry
 * their position in their file name ({@code scratch_003_x120_y371.png}). Defects come from
 * {@link DefectGenerator}, foreign textures from other photographs, never the source itself. The
 * same arguments give the same files, byte for byte.
 */
public final class TextureDataset {
    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";
    public static final String TEST = "test";
    /** Written last: a folder without it is an interrupted build. */
    static final String COMPLETE_MARKER = "dataset.properties";
    private static final String PREFIX = "texture-";
    /**
     * The defect generator's version a dataset was built with, in its marker: 2 draws only visible
     * defects ({@link DefectGenerator#MIN_VISIBLE_CHANGE}), 3 only defects that stand out from the
     * surface around them ({@link DefectGenerator#MIN_CONTRAST_RATIO}). {@link #ensure} rebuilds a
     * dataset of an older one.
     */
    static final int GENERATOR = 3;

    private TextureDataset() {
    }

    /** {@link #write(Raster, List, Path, int, int, int, long)} with twice as many good crops as each kind has. */
    public static Path write(Raster source, List<Raster> foreign, Path outDir, int cropSize, int perKind, long seed) {
        return write(source, foreign, outDir, cropSize, perKind, 2 * perKind, seed);
    }

    /**
     * Writes the dataset into {@code outDir}, replacing what was there, and returns it. The files are
     * written to a sibling folder first and moved into place when complete, so a reader never sees
     * half a dataset.
     */
    public static Path write(Raster source, List<Raster> foreign, Path outDir, int cropSize, int perKind, int good,
                             long seed) {
        int h = source.height();
        int tile = 2 * cropSize;
        if (source.width() < tile || h / 2 < tile || (int) (0.2 * h) < cropSize) {
            throw new FrameGuardException("a " + source.width() + "x" + h + " image is too small for crops of " + cropSize
                    + ": it needs at least " + tile + " columns and " + Math.max(2 * tile, 5 * cropSize) + " rows");
        }
        Path parent = outDir.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "." + outDir.getFileName() + "-");
            try {
                writeTrain(source, tmp.resolve(TRAIN), tile);
                Random random = new Random(seed);
                DefectGenerator generator = new DefectGenerator(foreign);
                writeCrops(source, generator, tmp.resolve(VALIDATION), h / 2, (int) (0.7 * h), cropSize, perKind, good, random);
                writeCrops(source, generator, tmp.resolve(TEST), (int) (0.7 * h), h, cropSize, perKind, good, random);
                Files.writeString(tmp.resolve(COMPLETE_MARKER), String.format(
                        "source=%dx%dx%d%ncropSize=%d%nperKind=%d%ngood=%d%nseed=%d%ngenerator=%d%ntrainRows=0-%d%nvalidationRows=%d-%d%ntestRows=%d-%d%n",
                        source.width(), h, source.channels(), cropSize, perKind, good, seed, GENERATOR, h / 2, h / 2,
                        (int) (0.7 * h), (int) (0.7 * h), h));
                FileTrees.delete(outDir);
                Files.move(tmp, outDir, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                FileTrees.delete(tmp);
            }
        } catch (IOException e) {
            throw new FrameGuardException("cannot write the texture dataset into " + outDir + ": " + e.getMessage(), e);
        }
        return outDir;
    }

    private static void writeTrain(Raster source, Path dir, int tile) {
        int n = 0;
        for (int y = 0; y + tile <= source.height() / 2; y += tile) {
            for (int x = 0; x + tile <= source.width(); x += tile) {
                DefectFolder.writeGood(dir, stem(DefectFolder.GOOD, n++, x, y), source.crop(x, y, tile, tile));
            }
        }
    }

    /** Random crops whose rows all lie in {@code [top, bottom)}: good ones, then {@code perKind} of each kind. */
    private static void writeCrops(Raster source, DefectGenerator generator, Path dir, int top, int bottom, int size,
                                   int perKind, int good, Random random) {
        for (int i = 0; i < good; i++) {
            int x = random.nextInt(source.width() - size + 1);
            int y = top + random.nextInt(bottom - top - size + 1);
            DefectFolder.writeGood(dir, stem(DefectFolder.GOOD, i, x, y), source.crop(x, y, size, size));
        }
        for (DefectKind kind : DefectKind.values()) {
            for (int i = 0; i < perKind; i++) {
                int x = random.nextInt(source.width() - size + 1);
                int y = top + random.nextInt(bottom - top - size + 1);
                Defect defect = generator.apply(source.crop(x, y, size, size), kind, random);
                DefectFolder.writeDefect(dir, stem(kind.cliName(), i, x, y), defect);
            }
        }
    }

    private static String stem(String label, int i, int x, int y) {
        return String.format("%s_%03d_x%d_y%d", label, i, x, y);
    }

    /** A labelled split ({@code <dataset>/validation} or {@code <dataset>/test}); see {@link DefectFolder#read}. */
    public static LabelledRasters read(Path splitDir) {
        return DefectFolder.read(splitDir);
    }

    /** The normal training tiles, {@code <dataset>/train/good/*.png}, in file-name order. */
    public static List<Raster> readTrain(Path datasetDir) {
        Path dir = datasetDir.resolve(TRAIN).resolve(DefectFolder.GOOD);
        if (!Files.isDirectory(dir)) {
            throw new FrameGuardException(dir + " does not exist; build the dataset with 'frameguard data fetch --dataset skimage'");
        }
        return DefectFolder.sorted(dir, f -> f.toString().endsWith(".png")).stream().map(f -> Raster.read(f, 0)).toList();
    }

    /** {@link #ensure(Path, String, PrintWriter)} without progress output. */
    public static Path ensure(Path dataDir, String name) {
        return ensure(dataDir, name, new PrintWriter(Writer.nullWriter()));
    }

    /**
     * The dataset {@code <dataDir>/texture-<name>} built from the skimage photograph {@code name}
     * (gravel, brick, grass or ihc; "texture-gravel" is accepted too): fetched and built when missing,
     * otherwise left as it is. Crops of 64, 20 defects per kind, 40 good crops, seed 42; foreign
     * textures are the other three photographs.
     */
    public static Path ensure(Path dataDir, String name, PrintWriter out) {
        String photo = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
        Path dir = dataDir.resolve(PREFIX + photo);
        boolean stale = false;
        if (Files.isRegularFile(dir.resolve(COMPLETE_MARKER))) {
            if (isCurrent(dir)) {
                out.printf("%-14s already in %s%n", PREFIX + photo, dir);
                out.flush();
                return dir;
            }
            stale = true;
        }
        if (!SkimagePhotos.names().contains(photo)) {
            throw new FrameGuardException("unknown texture dataset '" + name + "'; known: "
                    + String.join(", ", SkimagePhotos.names().stream().map(n -> PREFIX + n).toList()));
        }
        if (!SkimagePhotos.isComplete(dataDir)) {
            SkimagePhotos.fetch(dataDir, out);
        }
        Raster source = SkimagePhotos.read(dataDir, photo);
        List<Raster> foreign = SkimagePhotos.names().stream().filter(n -> !n.equals(photo))
                .map(n -> SkimagePhotos.read(dataDir, n)).toList();
        write(source, foreign, dir, 64, 20, 40, 42);
        out.printf("%-14s %s in %s from %s.png (train tiles, validation and test crops with defects)%n",
                PREFIX + photo, stale ? "rebuilt (it was made by an older defect generator)" : "built", dir, photo);
        out.flush();
        return dir;
    }

    /** True when the dataset in {@code dir} was built by this defect generator ({@link #GENERATOR}). */
    static boolean isCurrent(Path dir) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(COMPLETE_MARKER))) {
            p.load(r);
        } catch (IOException e) {
            return false;
        }
        return Integer.toString(GENERATOR).equals(p.getProperty("generator"));
    }
}
