package io.frameguard.harness.bench;

import io.frameguard.config.FrameGuardConfig;
import io.frameguard.harness.bench.PipelineBenchmark.Latency;
import io.frameguard.harness.bench.PipelineBenchmark.Options;
import io.frameguard.harness.bench.PipelineBenchmark.ServeProcess;
import io.frameguard.harness.chaos.DetectorProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.LongConsumer;

/**
 * Step 4 of {@code bench pipeline}: {@code serve} as its own fresh process under a heap limit,
 * offered frames from the moment it is ready, with its heap peak read from its GC log.
 */
final class FreshServe {
    private FreshServe() {
    }

    /** {@code settings}/{@code c}: the process's configuration; {@code offer} produces n frames at {@code rate}. */
    static ServeProcess measure(Map<String, String> settings, FrameGuardConfig c, Path dir, Options o, double rate,
                                LongConsumer offer) throws InterruptedException {
        DetectorProcess serve = new DetectorProcess("serve", dir, settings);
        // the heap peak comes from the GC log (the heap in use before each collection), not from
        // scraping /metrics: a scrape costs the cold process CPU, and a Prometheus server scrapes
        // every 15 s or more, not several times a second
        Path gcLog = dir.resolve("serve-gc.log");
        List<String> jvmOptions = new ArrayList<>(o.serveJvmOptions());
        jvmOptions.add("-Xlog:gc:file=" + gcLog);
        try {
            serve.start(Duration.ofSeconds(120), o.serveHeap(), jvmOptions);
            LatencyProbe.FromStart l = LatencyProbe.measureFromStart(c, rate, PipelineBenchmark.FRESH_SECONDS,
                    (int) Math.round(o.seconds()), offer);
            List<String> warmUp = warmUpLines(serve.log());
            String[] lines = serve.get("/metrics").body().split("\n");
            double peak = Math.max(heapBeforeCollections(gcLog), MetricsScrape.value(lines, "jvm_memory_used_bytes{area=\"heap\"}"));
            return new ServeProcess(o.serveHeap(), List.copyOf(o.serveJvmOptions()), rate, l.first(), l.after(), l.p99BySecond(), l.p99ToScoredBySecond(),
                    l.firstSecondMaxToScored(),
                    peak / PipelineBenchmark.MB,
                    MetricsScrape.heapAfterGc(lines) / PipelineBenchmark.MB,
                    MetricsScrape.value(lines, "process_resident_memory_bytes") / PipelineBenchmark.MB, warmUp);
        } finally {
            serve.stop();
        }
    }

    /** What the process logged of its warm-ups before it took partitions (the text after the logger's name). */
    static List<String> warmUpLines(Path log) {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("warmed up") || l.contains("warm-up failed") || l.contains("warm-up on the broker"))
                    .map(l -> l.substring(l.indexOf(" - ") + 3)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the serve process's log " + log, e);
        }
    }

    private static final Pattern COLLECTION = Pattern.compile(" (\\d+)M->\\d+M\\(\\d+M\\) ");

    /** The largest heap in use before a collection in a {@code -Xlog:gc} file, in bytes; 0 when it has none. */
    static double heapBeforeCollections(Path gcLog) {
        double peak = 0;
        try {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = COLLECTION.matcher(line);
                if (m.find()) {
                    peak = Math.max(peak, Double.parseDouble(m.group(1)) * PipelineBenchmark.MB);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the serve process's GC log " + gcLog, e);
        }
        return peak;
    }
}
