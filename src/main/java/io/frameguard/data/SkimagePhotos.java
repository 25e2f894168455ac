package io.frameguard.data;

import io.frameguard.FileTrees;
import io.frameguard.FrameGuardException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Real photographs for inspection work, from Debian's {@code python3-skimage}: three 512×512 gray
 * textures (gravel, brick, grass) and one 512×512 RGB tissue stain (ihc). The package is only
 * downloaded and unpacked ({@code apt-get download}, {@code dpkg -x}), never installed, so none of
 * its Python dependencies are needed. Kept in {@code <dataDir>/skimage/}, verified by SHA-256, and
 * like {@link DatasetFetcher} idempotent: files already there with the right hash are kept.
 */
public final class SkimagePhotos {
    public static final String ID = "skimage";
    static final String DEBIAN_PACKAGE = "python3-skimage";

    /** Photograph name → SHA-256 of its PNG (python3-skimage 0.19.3-8, Debian bookworm). */
    static final Map<String, String> SHA256 = new TreeMap<>(Map.of(
            "gravel", "c48615b451bf1e606fbd72c0aa9f8cc0f068ab7111ef7d93bb9b0f2586440c12",
            "brick", "7966caf324f6ba843118d98f7a07746d22f6a343430add0233eca5f6eaaa8fcf",
            "grass", "b6b6022426b38936c43a4ac09635cd78af074e90f42ffa8227ac8b7452d39f89",
            "ihc", "f8dd1aa387ddd1f49d8ad13b50921b237df8e9b262606d258770687b0ef93cef"));

    private SkimagePhotos() {
    }

    /** The photographs' names: gravel, brick, grass (gray) and ihc (RGB), sorted. */
    public static List<String> names() {
        return List.copyOf(SHA256.keySet());
    }

    /** The photograph {@code name}, fetched before by {@link #fetch}, as a raster with the channels of its file. */
    public static Raster read(Path dataDir, String name) {
        if (!SHA256.containsKey(name)) {
            throw new FrameGuardException("unknown photograph '" + name + "'; known: " + String.join(", ", names()));
        }
        Path file = dataDir.resolve(ID).resolve(name + ".png");
        if (!Files.isRegularFile(file)) {
            throw new FrameGuardException(file + " does not exist; fetch it with 'frameguard data fetch --dataset " + ID + "'");
        }
        return Raster.read(file, 0);
    }

    /** Whether the four photographs are in {@code <dataDir>/skimage/} with the right SHA-256. */
    public static boolean isComplete(Path dataDir) {
        Path dir = dataDir.resolve(ID);
        return SHA256.entrySet().stream().allMatch(e -> intact(dir.resolve(e.getKey() + ".png"), e.getValue()));
    }

    /** Puts the four photographs into {@code <dataDir>/skimage/}, unless they are already there intact. */
    public static Path fetch(Path dataDir, PrintWriter out) {
        Path dir = dataDir.resolve(ID);
        if (isComplete(dataDir)) {
            out.printf("%-14s already in %s (SHA-256 verified)%n", ID, dir);
            out.flush();
            return dir;
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempDirectory(dataDir, ".skimage-");
            try {
                unpack(tmp, out);
                Path source = photoFolder(tmp);
                for (String name : SHA256.keySet()) {
                    Path part = dir.resolve(name + ".png.part");
                    Files.copy(source.resolve(name + ".png"), part, StandardCopyOption.REPLACE_EXISTING);
                    DatasetFetcher.verify(part, SHA256.get(name));
                    Files.move(part, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                }
            } finally {
                FileTrees.delete(tmp);
            }
        } catch (IOException e) {
            throw new FrameGuardException("cannot fetch " + ID + " into " + dir + ": " + e.getMessage(), e);
        }
        out.printf("%-14s ready in %s (%d photographs, SHA-256 verified)%n", ID, dir, SHA256.size());
        out.flush();
        return dir;
    }

    private static boolean intact(Path file, String sha256) {
        return Files.isRegularFile(file) && DatasetFetcher.sha256(file).equals(sha256);
    }

    private static void unpack(Path tmp, PrintWriter out) throws IOException {
        out.println(ID + "        apt-get download " + DEBIAN_PACKAGE + " ...");
        out.flush();
        String tool = "apt-get and dpkg (Debian/Ubuntu), or copy gravel.png, brick.png, grass.png and ihc.png from "
                + DEBIAN_PACKAGE + "'s skimage/data/ into <data-dir>/" + ID + "/ by hand";
        try {
            DatasetFetcher.run(List.of("apt-get", "download", DEBIAN_PACKAGE), tmp, tool);
        } catch (FrameGuardException notListed) {
            if (notListed.getMessage().contains("is not installed")) {
                throw notListed;
            }
            // a fresh container knows no package lists yet: fetch them once, then try again
            DatasetFetcher.run(List.of("apt-get", "update", "-qq"), tmp, tool);
            DatasetFetcher.run(List.of("apt-get", "download", DEBIAN_PACKAGE), tmp, tool);
        }
        Path deb;
        try (Stream<Path> files = Files.list(tmp)) {
            deb = files.filter(p -> p.toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new FrameGuardException("apt-get download " + DEBIAN_PACKAGE + " produced no .deb"));
        }
        DatasetFetcher.run(List.of("dpkg", "-x", deb.toString(), tmp.resolve("root").toString()), tmp, tool);
    }

    /** Where the unpacked package keeps its photographs (the Python version is in the path). */
    private static Path photoFolder(Path tmp) throws IOException {
        try (Stream<Path> walk = Files.walk(tmp.resolve("root"))) {
            return walk.filter(p -> p.endsWith(Path.of("skimage", "data", "gravel.png"))).findFirst()
                    .map(Path::getParent)
                    .orElseThrow(() -> new FrameGuardException(DEBIAN_PACKAGE + " holds no skimage/data/gravel.png"));
        }
    }
}
