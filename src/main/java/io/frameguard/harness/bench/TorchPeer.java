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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The same dense network scored by PyTorch, what a user would write instead: the bundle exported by
 * {@link DenseExport}, then {@value #SCRIPT} run by the system's {@code python3} with one thread,
 * which first checks that its outputs are FrameGuard's and then times {@code model(x)}.
 */
public final class TorchPeer {
    /** The peer script, relative to the FrameGuard checkout ({@code FRAMEGUARD_HOME}, else the working folder). */
    public static final String SCRIPT = "bench/peer/score_bench.py";

    /** PyTorch's figure at one batch size. */
    public record Row(int batch, @JsonProperty("images_per_s") double imagesPerSecond,
                      @JsonProperty("images_per_s_min") double min, @JsonProperty("images_per_s_max") double max) {
    }

    /** One run of the peer: its version, how closely it reproduced FrameGuard's outputs, and its figures. */
    public record Run(String torch, int threads, @JsonProperty("checked_images") int checkedImages,
                      @JsonProperty("max_abs_diff") double maxAbsDiff, List<Row> rows) {
    }

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
     * Exports {@code bundle}, checks PyTorch's outputs on {@code checkPixels} against FrameGuard's and
     * times PyTorch at each batch size with the same rounds as {@link ScoringBenchmark}.
     */
    public static Run run(ModelBundle bundle, byte[] checkPixels, int[] batches, int rounds, double roundSeconds,
                          double warmupSeconds) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("frameguard-peer-");
            DenseExport.write(bundle, checkPixels, dir);
            List<String> command = List.of(python(), script().toString(), dir.toString(), "--check",
                    "--batches", join(batches), "--rounds", Integer.toString(rounds),
                    "--round-seconds", Double.toString(roundSeconds), "--warmup-seconds", Double.toString(warmupSeconds));
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile());
            // one thread however PyTorch's BLAS is built; the script also calls torch.set_num_threads(1)
            pb.environment().put("OMP_NUM_THREADS", "1");
            pb.environment().put("OPENBLAS_NUM_THREADS", "1");
            Process p = pb.start();
            List<JsonNode> lines = new ArrayList<>();
            try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(Json.MAPPER.readTree(line));
                }
            }
            if (p.waitFor() != 0) {
                throw new FrameGuardException("the PyTorch peer failed (" + String.join(" ", command) + "): "
                        + Files.readString(dir.resolve("stderr.txt")).strip());
            }
            return parse(lines);
        } catch (IOException e) {
            throw new FrameGuardException("could not run the PyTorch peer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrameGuardException("interrupted while the PyTorch peer ran", e);
        } finally {
            if (dir != null) {
                try {
                    FileTrees.delete(dir);
                } catch (IOException e) {
                    // a temporary folder left behind: nothing the figures depend on
                }
            }
        }
    }

    private static Run parse(List<JsonNode> lines) {
        String torch = "?";
        int threads = 0;
        int checked = 0;
        double diff = Double.NaN;
        List<Row> rows = new ArrayList<>();
        for (JsonNode n : lines) {
            if (n.has("torch")) {
                torch = n.get("torch").asText();
                threads = n.get("threads").asInt();
            } else if (n.has("check")) {
                checked = n.get("check").get("images").asInt();
                diff = n.get("check").get("max_abs_diff").asDouble();
            } else if (n.has("batch")) {
                rows.add(new Row(n.get("batch").asInt(), n.get("images_per_s").asDouble(),
                        n.get("images_per_s_min").asDouble(), n.get("images_per_s_max").asDouble()));
            }
        }
        return new Run(torch, threads, checked, diff, rows);
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

    private static String join(int[] values) {
        StringBuilder s = new StringBuilder();
        for (int v : values) {
            s.append(s.length() == 0 ? "" : ",").append(v);
        }
        return s.toString();
    }
}
