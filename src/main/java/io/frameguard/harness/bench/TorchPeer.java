package io.frameguard.harness.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.FileTrees;
import io.frameguard.FrameGuardException;
import io.frameguard.Json;
import io.frameguard.model.ModelBundle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The same dense network scored by PyTorch, what a user would write instead: the bundle exported by
 * {@link DenseExport}, then {@value #SCRIPT} run by the system's {@code python3} with one thread,
 * which first checks that its outputs are FrameGuard's and then times {@code model(x)}.
 */
public final class TorchPeer {
    /** The peer script, relative to the FrameGuard checkout ({@code FRAMEGUARD_HOME}, else the working folder). */
    public static final String SCRIPT = "bench/peer/score_bench.py";

    /** FrameGuard's figure (one scorer thread) beside PyTorch's at one batch size. */
    public record Comparison(int batch, @JsonProperty("frameguard_images_per_s") double frameguard,
                             @JsonProperty("pytorch_images_per_s") double pytorch,
                             @JsonProperty("pytorch_images_per_s_min") double pytorchMin,
                             @JsonProperty("pytorch_images_per_s_max") double pytorchMax,
                             @JsonProperty("frameguard_per_pytorch") double ratio) {
    }

    /** The peer's part of a scoring report: its run and the comparison, or why it was skipped. */
    public record Report(String torch, int threads, @JsonProperty("checked_images") Integer checkedImages,
                         @JsonProperty("max_abs_diff") Double maxAbsDiff, List<Comparison> rows, String skipped) {
        static Report skipped(String why) {
            return new Report(null, 0, null, null, List.of(), why);
        }
    }

    private TorchPeer() {
    }

    /** Why the peer cannot run here (no python3, or no torch in it), or null when it can. */
    public static String unavailable() {
        return unavailable("torch", "python3-torch libopenblas0-pthread");
    }

    /**
     * Why python3 cannot import {@code modules} (comma-separated) here, with the Debian packages
     * {@code packages} that bring them, or null when it can.
     */
    static String unavailable(String modules, String packages) {
        try {
            Process p = new ProcessBuilder(python(), "-c", "import " + modules).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                String[] lines = output.split("\n");
                return python() + " cannot import " + modules + " (" + lines[lines.length - 1]
                        + "); install them with: apt-get install " + packages;
            }
            return null;
        } catch (IOException e) {
            return "no " + python() + " to run the PyTorch peer (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Exports {@code bundle}, starts the peer on it and checks its outputs on {@code checkPixels}
     * against FrameGuard's; then {@link Session#round} times one round of PyTorch at a time, so that
     * the caller can time FrameGuard's rounds between them.
     *
     * @throws FrameGuardException when the peer cannot start or its outputs are not FrameGuard's
     */
    public static Session start(ModelBundle bundle, byte[] checkPixels) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("frameguard-peer-");
            DenseExport.write(bundle, checkPixels, dir);
            List<String> command = List.of(python(), script().toString(), dir.toString(), "--check", "--stdin");
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile());
            environment(pb.environment(), true);
            Session session = new Session(pb.start(), dir, String.join(" ", command));
            dir = null;
            return session;
        } catch (IOException e) {
            throw new FrameGuardException("could not run the PyTorch peer: " + e.getMessage(), e);
        } finally {
            delete(dir);
        }
    }

    /** glibc's malloc thresholds for the peers ({@link #environment}): 32 MiB, the most glibc takes, and 128 MiB. */
    static final String MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=134217728";

    /**
     * The peers' environment, so that they run at their best. One thread, as FrameGuard's scorer,
     * however PyTorch's BLAS is built (the scripts also call {@code torch.set_num_threads(1)}). And
     * glibc's malloc set to keep freed memory for reuse: by default it serves blocks above its mmap
     * threshold from fresh pages, raises that threshold only to the largest block freed so far and
     * returns the heap's top to the system above twice that, so that PyTorch's activations (a batch
     * of 256 digits is 800 KB a layer) can be faulted in again batch after batch, at a cost that
     * depends on what the process freed before. {@code bench pipeline --peer} runs the peer both ways
     * (BENCHMARKS.md). Other C libraries ignore the variable. With {@code tunedMalloc} false the peer
     * gets glibc's defaults: no {@code GLIBC_TUNABLES} and none of glibc's older {@code MALLOC_*_}
     * variables, whatever this process was started with.
     */
    static void environment(Map<String, String> env, boolean tunedMalloc) {
        env.put("OMP_NUM_THREADS", "1");
        env.put("OPENBLAS_NUM_THREADS", "1");
        if (!tunedMalloc) {
            env.remove("GLIBC_TUNABLES");
            env.keySet().removeIf(k -> k.startsWith("MALLOC_") && k.endsWith("_"));
            return;
        }
        String had = env.get("GLIBC_TUNABLES");
        env.put("GLIBC_TUNABLES", had == null || had.isBlank() ? MALLOC_TUNABLES : had + ":" + MALLOC_TUNABLES);
    }

    /** A running peer that has checked its outputs, and answers one timed round at a time. */
    public static final class Session implements AutoCloseable {
        private final Process process;
        private final Path dir;
        private final String command;
        private final BufferedReader replies;
        private final java.io.Writer requests;
        private final String torch;
        private final int threads;
        private final int checkedImages;
        private final double maxAbsDiff;

        private Session(Process process, Path dir, String command) throws IOException {
            this.process = process;
            this.dir = dir;
            this.command = command;
            this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.requests = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            try {
                JsonNode version = reply();
                this.torch = version.get("torch").asText();
                this.threads = version.get("threads").asInt();
                JsonNode check = reply().get("check");
                this.checkedImages = check.get("images").asInt();
                this.maxAbsDiff = check.get("max_abs_diff").asDouble();
                if (!(maxAbsDiff <= check.get("tolerance").asDouble())) {
                    throw failed("its outputs differ from FrameGuard's by " + maxAbsDiff);
                }
            } catch (RuntimeException | IOException e) {
                close();
                throw e;
            }
        }

        public String torch() {
            return torch;
        }

        public int threads() {
            return threads;
        }

        public int checkedImages() {
            return checkedImages;
        }

        public double maxAbsDiff() {
            return maxAbsDiff;
        }

        /** Images per second of one round of {@code model(x)} on batches of {@code batch}, about {@code seconds} long. */
        public double round(int batch, double seconds) {
            try {
                requests.write("{\"batch\": " + batch + ", \"seconds\": " + seconds + "}\n");
                requests.flush();
                JsonNode r = reply();
                if (r.path("batch").asInt() != batch) {
                    throw new FrameGuardException("the PyTorch peer answered " + r + " to a round of batch " + batch);
                }
                return r.get("images_per_s").asDouble();
            } catch (IOException e) {
                throw failed(e.getMessage());
            }
        }

        private JsonNode reply() throws IOException {
            String line = replies.readLine();
            if (line == null) {
                throw failed("it stopped");
            }
            return Json.MAPPER.readTree(line);
        }

        private FrameGuardException failed(String why) {
            String stderr = "";
            try {
                process.waitFor(10, TimeUnit.SECONDS);
                stderr = Files.readString(dir.resolve("stderr.txt")).strip();
            } catch (IOException e) {
                // no error output to add
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new FrameGuardException("the PyTorch peer failed (" + command + "): " + why + (stderr.isEmpty() ? "" : ": " + stderr));
        }

        /** Ends the peer's input, waits for it to exit and deletes its export. */
        @Override
        public void close() {
            try {
                requests.close();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            } finally {
                delete(dir);
            }
        }
    }

    private static void delete(Path dir) {
        if (dir != null) {
            try {
                FileTrees.delete(dir);
            } catch (IOException e) {
                // a temporary folder left behind: nothing the figures depend on
            }
        }
    }

    static Path script() {
        return script(SCRIPT);
    }

    /** A peer script, relative to the FrameGuard checkout ({@code FRAMEGUARD_HOME}, else the working folder). */
    static Path script(String relative) {
        String home = System.getenv("FRAMEGUARD_HOME");
        Path script = Path.of(home == null ? "." : home).resolve(relative);
        if (!Files.isRegularFile(script)) {
            throw new FrameGuardException("the PyTorch peer script " + script + " is missing; run from a FrameGuard checkout"
                    + " (or set FRAMEGUARD_HOME to one)");
        }
        return script;
    }

    static String python() {
        // Debian's interpreter, where apt installs python3-torch, rather than whatever python3 is first on PATH
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }
}
