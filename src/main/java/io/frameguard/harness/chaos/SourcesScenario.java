package io.frameguard.harness.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.frameguard.FrameGuardException;
import io.frameguard.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many more sources than {@code max.sources}: every frame from its own camera, against a detector
 * with a 256 MB heap. Every frame must be scored once (past the cap by the calibration threshold),
 * while {@code /metrics} and {@code /thresholds} stay within the cap and the heap stays bounded;
 * once the sources go idle they expire and both shrink back.
 */
final class SourcesScenario {
    static final int SOURCES = 10_000;
    static final int CAP = 100;
    static final long EXPIRY_MS = 5_000;
    /** Series a source may add to /metrics: frames scored, anomalies, threshold. */
    static final int LINES_PER_SOURCE = 3;
    /** Lines that appear once, with the first source: each per-source family's HELP and TYPE, and the "(other)" series. */
    static final int LINES_ONCE = 10;
    static final String DESCRIPTION = String.format("%,d frames, each from a source of its own, against a detector with "
            + "max.sources=%d, source.idle.expiry.ms=%d and a 256 MB heap: every frame scored once (sources past the cap by "
            + "the calibration threshold), /metrics' frameguard_* lines at most %d per admitted source over their start-up count, /thresholds "
            + "at most %d sources, and both back to their start-up size once the sources have expired.", SOURCES, CAP, EXPIRY_MS,
            LINES_PER_SOURCE, CAP);
    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"} ([0-9.eE+]+)$");

    private final ChaosSuite suite;

    SourcesScenario(ChaosSuite suite) {
        this.suite = suite;
    }

    ChaosSuite.Result run(ChaosSuite.Options o) {
        Workload w = suite.workload(SOURCES, 0, o.seed(), SOURCES);
        return suite.withCluster("sources", 1, null, w, run -> {
            Map<String, String> s = run.settings("chaos-sources", "");
            s.put("max.sources", Integer.toString(CAP));
            s.put("source.idle.expiry.ms", Long.toString(EXPIRY_MS));
            DetectorProcess d = new DetectorProcess("detector", run.dir, s);
            run.started.add(d);
            d.start(Duration.ofSeconds(120), "256m");
            int baseLines = lines(d);
            int maxLines = baseLines;
            int maxThresholds = 0;
            double maxHeap = 0;
            CompletableFuture<Void> producing = run.produceInBackground();
            Audit.Output[] out = new Audit.Output[1];
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> out[0] = Audit.read(run.nodes.internalClientConfig(),
                    "scores", "dlq", suite.scores, w, Duration.ofSeconds(3), Duration.ofMinutes(10)));
            while (!reading.isDone()) {
                maxLines = Math.max(maxLines, lines(d));
                maxThresholds = Math.max(maxThresholds, thresholds(d));
                maxHeap = Math.max(maxHeap, heap(d));
                KafkaNodes.sleep(200);
            }
            producing.join();
            reading.join();
            KafkaNodes.sleep(EXPIRY_MS + 1_500);
            int idleLines = lines(d);
            int idleThresholds = thresholds(d);
            Audit.Verdict v = Audit.judge(w, out[0], null);
            List<String> problems = new ArrayList<>(v.problems());
            if (!d.isAlive()) {
                problems.add("detector died (see " + d.log().getFileName() + ")");
            }
            int bound = baseLines + LINES_ONCE + LINES_PER_SOURCE * CAP;
            if (maxLines > bound) {
                problems.add("/metrics grew to " + maxLines + " lines, over " + bound);
            }
            if (maxThresholds > CAP) {
                problems.add("/thresholds held " + maxThresholds + " sources, over max.sources=" + CAP);
            }
            if (idleThresholds != 0 || idleLines > baseLines + LINES_ONCE) {
                problems.add("after expiry /thresholds holds " + idleThresholds + " sources and /metrics " + idleLines + " lines");
            }
            String notes = String.format("%,d sources, max.sources=%d: /metrics %d → at most %d → %d lines, /thresholds at most %d"
                    + " → %d sources, heap at most %.0f MB of 256", SOURCES, CAP, baseLines, maxLines, idleLines, maxThresholds,
                    idleThresholds, maxHeap / 1e6);
            return new ChaosSuite.Result("sources", w.scoredIds().size(), 0, v.lost(), v.duplicated(), v.deadLettered(),
                    problems.isEmpty(), 0, problems.isEmpty() ? notes : String.join("; ", problems) + " (" + notes + ")");
        });
    }

    /**
     * The lines of FrameGuard's own series on /metrics, where per-source series live; the Kafka client
     * series beside them grow with topics, partitions and tasks, not with sources.
     */
    private static int lines(DetectorProcess d) {
        return (int) d.get("/metrics").body().lines().filter(l -> l.contains("frameguard_")).count();
    }

    private static int thresholds(DetectorProcess d) {
        DetectorProcess.Answer a = d.get("/thresholds");
        if (a.status() != 200) {
            return 0;
        }
        try {
            return Json.MAPPER.readTree(a.body()).size();
        } catch (JsonProcessingException e) {
            throw new FrameGuardException("/thresholds is not JSON: " + e.getMessage(), e);
        }
    }

    private static double heap(DetectorProcess d) {
        Matcher m = HEAP.matcher(d.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
