package io.frameguard.harness.bench;

import io.frameguard.config.FrameGuardConfig;
import io.frameguard.harness.bench.PipelineBenchmark.Latency;
import io.frameguard.harness.bench.PipelineBenchmark.Options;
import io.frameguard.harness.bench.PipelineBenchmark.ServeProcess;
import io.frameguard.harness.chaos.DetectorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * Step 4 of {@code bench pipeline}: {@code serve} as its own fresh process under a heap limit,
 * offered frames from the moment it is ready, with its heap sampled from {@code /metrics}.
 */
final class FreshServe {
    private FreshServe() {
    }

    /** {@code settings}/{@code c}: the process's configuration; {@code offer} produces n frames at {@code rate}. */
    static ServeProcess measure(Map<String, String> settings, FrameGuardConfig c, Path dir, Options o, double rate,
                                LongConsumer offer) throws InterruptedException {
        DetectorProcess serve = new DetectorProcess("serve", dir, settings);
        AtomicBoolean done = new AtomicBoolean();
        double[] peak = {0};
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                String[] lines = serve.get("/metrics").body().split("\n");
                peak[0] = Math.max(peak[0], MetricsScrape.value(lines, "jvm_memory_used_bytes{area=\"heap\"}"));
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "serve-heap-sampler");
        try {
            serve.start(Duration.ofSeconds(120), o.serveHeap(), o.serveJvmOptions());
            sampler.start();
            LatencyProbe.FromStart l = LatencyProbe.measureFromStart(c, rate, PipelineBenchmark.FRESH_SECONDS,
                    (int) Math.round(o.seconds()), offer);
            done.set(true);
            sampler.join();
            String[] lines = serve.get("/metrics").body().split("\n");
            return new ServeProcess(o.serveHeap(), List.copyOf(o.serveJvmOptions()), rate, l.first(), l.after(), l.p99BySecond(), peak[0] / PipelineBenchmark.MB,
                    MetricsScrape.heapAfterGc(lines) / PipelineBenchmark.MB,
                    MetricsScrape.value(lines, "process_resident_memory_bytes") / PipelineBenchmark.MB);
        } finally {
            done.set(true);
            serve.stop();
        }
    }
}
