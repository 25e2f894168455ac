package io.frameguard.runtime;

import io.frameguard.stream.DeadLetter;
import io.frameguard.stream.DetectorMetrics;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.DoubleSupplier;

/**
 * The detector's metrics in Prometheus form. Rates (frames/s, anomalies/s) are Prometheus's
 * {@code rate()} over the counters; latencies and batch sizes are histograms.
 */
public final class PrometheusDetectorMetrics implements DetectorMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter frames = Counter.builder().name("frameguard_frames_scored_total")
            .help("Frames scored, per source").labelNames("source").register(registry);
    private final Counter anomalies = Counter.builder().name("frameguard_anomalies_total")
            .help("Frames over their source's threshold").labelNames("source").register(registry);
    private final Counter deadLetters = Counter.builder().name("frameguard_dead_letters_total")
            .help("Records sent to the dead-letter topic, per reason").labelNames("reason").register(registry);
    private final Histogram batchSize = Histogram.builder().name("frameguard_batch_size")
            .help("Frames per scored batch").classicOnly()
            .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024).register(registry);
    private final Histogram scoringSeconds = Histogram.builder().name("frameguard_scoring_seconds")
            .help("Wall time of one batched forward pass").classicOnly()
            .classicExponentialUpperBounds(0.0005, 2, 14).register(registry);
    private final Gauge thresholds = Gauge.builder().name("frameguard_threshold")
            .help("Threshold in force, per source").labelNames("source").register(registry);

    private final Counter modelReloads = Counter.builder().name("frameguard_model_reloads_total")
            .help("Models put in force while running (replaced model.path, SIGHUP)").register(registry);

    public PrometheusDetectorMetrics() {
        // the JVM's own: heap and pools (also after GC), GC pauses, threads, process RSS and CPU
        JvmMetrics.builder().register(registry);
    }

    /** Exports every metric of a Kafka Streams instance and its clients, read on each scrape. */
    public void kafkaStreams(java.util.function.Supplier<java.util.Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric>> metrics) {
        registry.register(new KafkaClientMetrics(metrics));
    }

    /** Adds a gauge read on each scrape (consumer lag, stream state). */
    public void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    @Override
    public void frameScored(String source) {
        frames.labelValues(source).inc();
    }

    @Override
    public void batchScored(int size, double seconds) {
        batchSize.observe(size);
        scoringSeconds.observe(seconds);
    }

    @Override
    public void anomaly(String source) {
        anomalies.labelValues(source).inc();
    }

    @Override
    public void deadLetter(DeadLetter.Reason reason) {
        deadLetters.labelValues(reason.name().toLowerCase()).inc();
    }

    @Override
    public void threshold(String source, double value) {
        thresholds.labelValues(source).set(value);
    }

    void modelReloaded() {
        modelReloads.inc();
    }

    @Override
    public void sourceExpired(String source) {
        frames.remove(source);
        anomalies.remove(source);
        thresholds.remove(source);
    }

    public double framesScored() {
        return frames.collect().getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
    }

    public double anomaliesTotal() {
        return anomalies.collect().getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
    }

    /** Batches scored so far, and their mean size in frames (0 before the first). */
    public record Batches(long count, double meanSize) {
    }

    public Batches batches() {
        var points = batchSize.collect().getDataPoints();
        long count = points.stream().mapToLong(d -> d.getCount()).sum();
        double sum = points.stream().mapToDouble(d -> d.getSum()).sum();
        return new Batches(count, count == 0 ? 0 : sum / count);
    }

    public double deadLettersTotal() {
        return deadLetters.collect().getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
    }

    public String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    public void writeTo(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
    }
}
