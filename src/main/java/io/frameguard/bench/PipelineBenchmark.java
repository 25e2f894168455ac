package io.frameguard.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.frameguard.avro.Encoding;
import io.frameguard.avro.FrameScore;
import io.frameguard.chaos.DetectorProcess;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.model.ModelBundle;
import io.frameguard.runtime.CameraSimulator;
import io.frameguard.runtime.CommittedConsumer;
import io.frameguard.runtime.Detector;
import io.frameguard.runtime.EmbeddedKafka;
import io.frameguard.runtime.FrameMix;
import io.frameguard.stream.BundleBatchScorer;
import io.frameguard.stream.RecordAtATimeTopology;
import io.frameguard.stream.Topics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * End to end on an embedded broker: the detector's throughput on pre-produced frames (first to last
 * FrameScore), the same for the record-at-a-time baseline, and capture→score latency percentiles at
 * fixed offered rates. Everything in one run, so the ratio holds on a noisy machine.
 */
public final class PipelineBenchmark {
    /**
     * @param modelFile the bundle's file, for the {@code serve} process
     * @param serveHeap heap limit of the {@code serve} process, e.g. {@code 512m}
     */
    public record Options(long frames, double[] rates, double seconds, Map<String, String> detectorConfig,
                          Path modelFile, String serveHeap) {
    }

    /**
     * {@code serve} as its own process under a heap limit, at the highest offered rate: its capture→score
     * latency and, from its {@code /metrics}, the peak heap in use, the heap after the last GC and RSS.
     */
    public record ServeProcess(String xmx, @JsonProperty("offered_fps") double offered, Latency latency,
                               @JsonProperty("heap_peak_mb") double heapPeakMb,
                               @JsonProperty("heap_after_gc_mb") double heapAfterGcMb,
                               @JsonProperty("rss_mb") double rssMb) {
    }

    public record Latency(@JsonProperty("offered_fps") double offered, double p50, double p95, double p99,
                          long frames) {
    }

    public record Report(String model, long frames, @JsonProperty("throughput_fps") double throughput,
                         @JsonProperty("baseline_fps") double baseline, double ratio,
                         @JsonProperty("latency_ms") List<Latency> latency, @JsonProperty("heap_mb") double heapMb,
                         @JsonProperty("rss_mb") double rssMb, @JsonProperty("serve_process") ServeProcess serve) {
    }

    private static final double MB = 1048576.0;

    private final PrintWriter out;
    private final ModelBundle bundle;
    private final FrameMix mix;

    public PipelineBenchmark(PrintWriter out, ModelBundle bundle, FrameMix mix) {
        this.out = out;
        this.bundle = bundle;
        this.mix = mix;
    }

    public Report run(Options o) throws Exception {
        Path dir = Files.createTempDirectory("frameguard-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            FrameGuardConfig batched = config(kafka, dir, "batched", o);
            produce(batched, o.frames(), 0);
            double throughput;
            try (Detector d = new Detector(batched, bundle).start()) {
                throughput = throughput(batched, o.frames());
            }
            out.printf("micro-batched detector: %,d frames in first-to-last order at %,.0f frames/s%n", o.frames(), throughput);
            FrameGuardConfig single = config(kafka, dir, "record-at-a-time", o);
            produce(single, o.frames(), 0);
            double baseline;
            try (KafkaStreams s = new KafkaStreams(RecordAtATimeTopology.build(single, new BundleBatchScorer(bundle)),
                    single.streamsProperties())) {
                s.start();
                baseline = throughput(single, o.frames());
                s.close(Duration.ofSeconds(30));
            }
            out.printf("record-at-a-time baseline: %,.0f frames/s; ratio %.1fx%n", baseline, throughput / baseline);
            List<Latency> latencies = new ArrayList<>();
            for (double rate : o.rates()) {
                FrameGuardConfig live = config(kafka, dir, "latency-" + (long) rate, o);
                try (Detector d = new Detector(live, bundle).start()) {
                    d.awaitRunning(Duration.ofSeconds(60));
                    Latency l = latency(live, rate, o.seconds());
                    latencies.add(l);
                    out.printf("offered %,.0f frames/s: capture->score latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (%,d frames)%n",
                            rate, l.p50(), l.p95(), l.p99(), l.frames());
                }
            }
            double top = Arrays.stream(o.rates()).max().orElse(1000);
            ServeProcess serve = serveProcess(kafka, dir, o, top);
            out.printf("serve process (-Xmx%s) at %,.0f frames/s: p50 %.1f ms, p99 %.1f ms (%,d frames); heap peak %.0f MB, "
                    + "after GC %.0f MB, RSS %.0f MB%n", serve.xmx(), top, serve.latency().p50(), serve.latency().p99(),
                    serve.latency().frames(), serve.heapPeakMb(), serve.heapAfterGcMb(), serve.rssMb());
            System.gc();
            Runtime rt = Runtime.getRuntime();
            double heap = (rt.totalMemory() - rt.freeMemory()) / MB;
            double rss = rssMb();
            out.printf("heap after GC %.0f MB, RSS %.0f MB (this JVM also runs the broker and the clients)%n", heap, rss);
            out.flush();
            return new Report(bundle.modelId(), o.frames(), throughput, baseline, throughput / baseline, latencies, heap, rss,
                    serve);
        }
    }

    private ServeProcess serveProcess(EmbeddedKafka kafka, Path dir, Options o, double rate) throws InterruptedException {
        Map<String, String> settings = settings(kafka, dir, "serve-process", o);
        settings.put("model.path", o.modelFile().toAbsolutePath().toString());
        FrameGuardConfig c = config(kafka, settings);
        DetectorProcess serve = new DetectorProcess("serve", dir, settings);
        AtomicBoolean done = new AtomicBoolean();
        double[] peak = {0};
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                String[] lines = serve.get("/metrics").body().split("\n");
                peak[0] = Math.max(peak[0], metric(lines, "jvm_memory_used_bytes{area=\"heap\"}"));
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "serve-heap-sampler");
        try {
            serve.start(Duration.ofSeconds(120), o.serveHeap());
            sampler.start();
            Latency l = latency(c, rate, o.seconds());
            done.set(true);
            sampler.join();
            String[] lines = serve.get("/metrics").body().split("\n");
            double afterGc = 0;
            for (String line : lines) {
                if (line.startsWith("jvm_memory_pool_collection_used_bytes{") && line.matches(".*(Eden|Survivor|Old|Tenured).*")) {
                    afterGc += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return new ServeProcess(o.serveHeap(), rate, l, peak[0] / MB, afterGc / MB,
                    metric(lines, "process_resident_memory_bytes") / MB);
        } finally {
            done.set(true);
            serve.stop();
        }
    }

    /** A single-series value from a {@code /metrics} scrape, 0 when absent. */
    private static double metric(String[] lines, String series) {
        for (String line : lines) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    private static FrameGuardConfig config(EmbeddedKafka kafka, Path dir, String name, Options o) {
        return config(kafka, settings(kafka, dir, name, o));
    }

    private static FrameGuardConfig config(EmbeddedKafka kafka, Map<String, String> m) {
        FrameGuardConfig c = FrameGuardConfig.load(null, Map.of(), m);
        kafka.createTopics(Topics.of(c).all(), c.getInt(FrameGuardConfig.TOPIC_PARTITIONS));
        return c;
    }

    private static Map<String, String> settings(EmbeddedKafka kafka, Path dir, String name, Options o) {
        Map<String, String> m = new HashMap<>(o.detectorConfig());
        m.put("bootstrap.servers", kafka.bootstrapServers());
        m.put("application.id", "bench-" + name);
        m.put("topic.frames", name + "-frames");
        m.put("topic.scores", name + "-scores");
        m.put("topic.anomalies", name + "-anomalies");
        m.put("topic.dlq", name + "-dlq");
        m.put("state.dir", dir.resolve(name).toString());
        m.put("http.port", "-1");
        return m;
    }

    private void produce(FrameGuardConfig c, long n, double rate) {
        Topics t = Topics.of(c);
        new CameraSimulator(c.clientProperties(), t.frames(), t.frameSerde().serializer())
                .run(mix, List.of("line-1", "line-2", "line-3", "line-4"), n, rate, true, Encoding.RAW_U8, x -> { });
    }

    /** Frames/s from the first to the last committed FrameScore. */
    private static double throughput(FrameGuardConfig c, long n) {
        Topics t = Topics.of(c);
        long first = -1;
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(c, t.scores())) {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (count < n && System.nanoTime() < deadline) {
                int got = consumer.poll(Duration.ofMillis(20)).count();
                if (got > 0 && first < 0) {
                    first = System.nanoTime();
                }
                count += got;
            }
        }
        return count / ((System.nanoTime() - first) / 1e9);
    }

    private Latency latency(FrameGuardConfig c, double rate, double seconds) throws InterruptedException {
        Topics t = Topics.of(c);
        long n = (long) (rate * seconds);
        List<Double> ms = new ArrayList<>();
        AtomicBoolean sent = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            produce(c, n, rate);
            sent.set(true);
        });
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(c, t.scores())) {
            producer.start();
            long deadline = System.nanoTime() + (long) ((seconds + 60) * 1e9);
            while (ms.size() < n && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(5)).forEach(r -> {
                    FrameScore s = t.scoreSerde().deserializer().deserialize(r.topic(), r.value());
                    ms.add((double) (System.currentTimeMillis() - s.getCaptureTime().toEpochMilli()));
                });
            }
        }
        producer.join();
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Latency(rate, pct(sorted, 0.50), pct(sorted, 0.95), pct(sorted, 0.99), sorted.length);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(FrameGuardConfig c, String topic) {
        return CommittedConsumer.open(c.clientProperties(), topic, true);
    }

    private static double pct(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Double.parseDouble(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (java.io.IOException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
