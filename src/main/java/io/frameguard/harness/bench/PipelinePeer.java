package io.frameguard.harness.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.frameguard.FrameGuardException;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.stream.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a user would write instead of FrameGuard's detector: {@value #SCRIPT}, a confluent_kafka
 * consumer that decodes a batch of frames, scores it with the same dense network in PyTorch and
 * produces a score per frame, at-least-once or in a transaction per batch. {@code bench pipeline
 * --peer} runs it on the same broker and frames as the detector and times it the same way.
 */
final class PipelinePeer {
    static final String SCRIPT = "bench/peer/pipeline_peer.py";
    /** Batch sizes of the peer's runs: at-least-once, and with transactions. */
    static final int[] AT_LEAST_ONCE_BATCHES = {32, 256, 1000};
    static final int[] EXACTLY_ONCE_BATCHES = {256, 1000};

    /**
     * One run of the peer: its guarantee, batch size, whether glibc's malloc had the thresholds of
     * {@link TorchPeer#environment} ({@code tuned}) or its defaults ({@code glibc-default}), and
     * frames/s first to last committed score.
     */
    record Run(String guarantee, int batch, String malloc, double fps) {
    }

    /**
     * The peer's runs beside FrameGuard's figures of the same run, each guarantee a {@code serve}
     * process of its own ({@link ServeBacklog}, the median of its runs): exactly-once against the
     * peer with transactions at its best batch size and malloc setting, at-least-once against the
     * at-least-once peer at its best.
     */
    record Report(String torch, @JsonProperty("confluent_kafka") String confluentKafka, String librdkafka,
                  List<Run> runs,
                  @JsonProperty("frameguard_exactly_once_fps") double frameguardExactlyOnce,
                  @JsonProperty("frameguard_exactly_once_runs_fps") double[] frameguardExactlyOnceRuns,
                  @JsonProperty("frameguard_at_least_once_fps") double frameguardAtLeastOnce,
                  @JsonProperty("frameguard_at_least_once_runs_fps") double[] frameguardAtLeastOnceRuns,
                  @JsonProperty("peer_exactly_once_best_fps") double peerExactlyOnce,
                  @JsonProperty("peer_at_least_once_best_fps") double peerAtLeastOnce,
                  @JsonProperty("ratio_exactly_once") double ratioExactlyOnce,
                  @JsonProperty("ratio_at_least_once") double ratioAtLeastOnce, String skipped) {
        static Report skipped(String why) {
            return new Report(null, null, null, List.of(), Double.NaN, new double[0], Double.NaN, new double[0], Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, why);
        }
    }

    private PipelinePeer() {
    }

    /** Why the peer cannot run here, or null when it can. */
    static String unavailable() {
        return TorchPeer.unavailable("torch, confluent_kafka, avro, numpy",
                "python3-torch libopenblas0-pthread python3-confluent-kafka python3-avro");
    }

    /**
     * Starts the peer on {@code c}'s frames topic, writing to its scores topic, in consumer group
     * {@code group}; it stops by itself after {@code frames} scores. Its output goes to {@code log}.
     * Without {@code tunedMalloc} it runs on glibc's default malloc thresholds, as a script started
     * by hand does.
     */
    static Process start(Path export, FrameGuardConfig c, String group, int batch, boolean exactlyOnce, boolean tunedMalloc,
                         long frames, Path log) {
        Topics t = Topics.of(c);
        List<String> command = new ArrayList<>(List.of(TorchPeer.python(), TorchPeer.script(SCRIPT).toString(),
                export.toString(), "--bootstrap", c.getString(FrameGuardConfig.BOOTSTRAP_SERVERS),
                "--frames-topic", t.frames(), "--scores-topic", t.scores(), "--group", group,
                "--frames", Long.toString(frames), "--batch", Integer.toString(batch),
                "--schema", TorchPeer.script("schemas/ImageFrame.avsc").toString()));
        if (exactlyOnce) {
            command.add("--exactly-once");
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        TorchPeer.environment(pb.environment(), tunedMalloc);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new FrameGuardException("could not start the pipeline peer: " + e.getMessage(), e);
        }
    }

    /** Waits for the peer to end and fails, with its output, when it did not score every frame. */
    static String finish(Process p, Path log) throws InterruptedException, IOException {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new FrameGuardException("the pipeline peer did not stop:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        if (p.exitValue() != 0) {
            throw new FrameGuardException("the pipeline peer failed (exit " + p.exitValue() + "):\n" + output);
        }
        return output;
    }
}
