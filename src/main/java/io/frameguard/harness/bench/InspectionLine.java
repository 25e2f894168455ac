package io.frameguard.harness.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.harness.bench.PipelineBenchmark.Latency;
import io.frameguard.harness.traffic.CameraSimulator;
import io.frameguard.runtime.Detector;
import io.frameguard.runtime.EmbeddedKafka;
import io.frameguard.stream.Topics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An inspection line end to end on an embedded broker: camera-sized frames offered at a fixed rate
 * to a detector in this process, capture→score latency read back from the committed scores. An
 * anomaly event is committed in the same transaction as its frame's score, so capture→score is
 * capture→event for the frames that raise one.
 */
public final class InspectionLine {
    private InspectionLine() {
    }

    /**
     * The line's figures: the latency of the measured frames, how many of them were offered and how
     * many came back scored within a minute of the last offer (the latency is of those).
     */
    public record Report(String model, @JsonProperty("frame_side") int side, @JsonProperty("offered_fps") double rate,
                         @JsonProperty("warm_up_s") double warmUp, Latency latency, long offered, long scored) {
        public boolean keptUp() {
            return scored == offered;
        }
    }

    /**
     * @param detector a detector on the given configuration, not yet started
     * @param frames a fresh source of the line's frames
     * @param cameras the cameras the frames come from, round-robin
     * @param side the frames' side, for the report
     * @param settings detector settings over the defaults (e.g. {@code num.stream.threads})
     */
    public static Report measure(PrintWriter out, String model, int side, Function<FrameGuardConfig, Detector> detector,
                                 Supplier<CameraSimulator.FrameSource> frames, List<String> cameras, double rate,
                                 double seconds, double warmUp, Map<String, String> settings)
            throws Exception {
        Path dir = Files.createTempDirectory("frameguard-bench-line-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            Map<String, String> m = new HashMap<>(settings);
            m.put(FrameGuardConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            m.put(FrameGuardConfig.APPLICATION_ID, "bench-inspection-line");
            m.put(FrameGuardConfig.STATE_DIR, dir.resolve("state").toString());
            m.put(FrameGuardConfig.HTTP_PORT, "-1");
            FrameGuardConfig c = PipelineBenchmark.config(kafka, m);
            Topics t = Topics.of(c);
            try (Detector d = detector.apply(c).start()) {
                d.awaitRunning(Duration.ofSeconds(120));
                CameraSimulator.FrameSource source = frames.get();
                Latency l = LatencyProbe.measure(c, rate, seconds, warmUp, n -> new CameraSimulator(c.clientProperties(),
                        t.frames(), t.frameSerde().serializer()).run(source, cameras, n, rate, x -> { }));
                long offered = (long) (rate * seconds);
                Report r = new Report(model, side, rate, warmUp, l, offered, l.frames());
                out.printf("inspection line, %dx%d frames offered at %,.0f frames/s for %.0f s (after %.0f s not counted),"
                                + " detector in this process: capture->score p50 %.1f ms, p95 %.1f ms, p99 %.1f ms; %,d of %,d"
                                + " measured frames scored%s%n", side, side, rate, seconds, warmUp, l.p50(), l.p95(), l.p99(),
                        l.frames(), offered, r.keptUp() ? "" : " within a minute of the last offer: the detector did not keep"
                                + " up, the latency is of the frames it scored");
                out.flush();
                return r;
            }
        } finally {
            io.frameguard.FileTrees.delete(dir);
        }
    }
}
