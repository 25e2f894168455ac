package io.frameguard.runtime;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Every metric of the Kafka Streams instance and its clients ({@code KafkaStreams.metrics()}: stream
 * client, threads, tasks, processors, stores, the consumers, producers and admin), read on each
 * scrape and named as Micrometer's Kafka binders name them in Prometheus:
 * {@code kafka_<group without "-metrics">_<name>}, dashes as underscores, tags as labels
 * ({@code stream-thread-metrics/process-rate{thread-id}} → {@code kafka_stream_thread_process_rate{thread_id}}).
 * Cumulative {@code *-total} metrics are counters; the string-valued states (of the client and
 * each thread) are gauges of 1 with the state as a label; other strings (versions, the topology's
 * description) are left out.
 *
 * <p>A collector of our own over the Prometheus client already used for /metrics, rather than
 * Micrometer's {@code KafkaStreamsMetrics} binder: the binder would add micrometer-core and a second
 * registry abstraction to bridge back into the same Prometheus registry, for ~100 lines of mapping.
 */
final class KafkaClientMetrics implements MultiCollector {
    private final Supplier<Map<MetricName, ? extends Metric>> metrics;

    KafkaClientMetrics(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        this.metrics = metrics;
    }

    /** The Prometheus name of a Kafka metric, {@code _total} included for counters. */
    static String prometheusName(MetricName m) {
        String group = m.group().endsWith("-metrics") ? m.group().substring(0, m.group().length() - "-metrics".length()) : m.group();
        return sanitize("kafka_" + group + "_" + m.name());
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
            MetricName m = e.getKey();
            Object value;
            try {
                value = e.getValue().metricValue();
            } catch (RuntimeException ex) {
                continue; // a metric whose client is closing
            }
            Map<String, String> tags = new TreeMap<>();
            m.tags().forEach((k, v) -> tags.put(sanitize(k), v == null ? "" : v));
            double v;
            if (value instanceof Number n) {
                v = n.doubleValue();
            } else if (value instanceof String s && m.name().endsWith("state")) {
                tags.put("state", s);
                v = 1;
            } else {
                continue;
            }
            String name = prometheusName(m);
            boolean counter = name.endsWith("_total") && value instanceof Number;
            Family f = families.computeIfAbsent(name, k -> new Family(counter, m.description()));
            f.add(Labels.of(List.copyOf(tags.keySet()), List.copyOf(tags.values())), v);
        }
        List<MetricSnapshot> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        families.forEach((name, f) -> {
            String base = f.counter ? name.substring(0, name.length() - "_total".length()) : name;
            if (taken.add(base) && !(f.counter ? base : name).endsWith("_total")) {
                try {
                    out.add(f.snapshot(base));
                } catch (IllegalArgumentException reservedName) {
                    // e.g. a name ending in _info or _created, which Prometheus reserves: left out
                }
            }
        });
        return new MetricSnapshots(out);
    }

    private static String sanitize(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(Character.isLetterOrDigit(c) && c < 128 ? c : '_');
        }
        return b.toString();
    }

    /** The data points of one Prometheus family; Kafka never repeats a name and tag set, but a repeat is dropped. */
    private static final class Family {
        final boolean counter;
        final String help;
        final Map<Labels, Double> points = new java.util.LinkedHashMap<>();

        Family(boolean counter, String help) {
            this.counter = counter;
            this.help = help == null || help.isBlank() ? "Kafka client metric" : help;
        }

        void add(Labels labels, double value) {
            points.putIfAbsent(labels, value);
        }

        MetricSnapshot snapshot(String name) {
            if (counter) {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
                points.forEach((l, v) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(l)
                        .value(Double.isFinite(v) && v >= 0 ? v : 0).build()));
                return b.build();
            }
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
            points.forEach((l, v) -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(l).value(v).build()));
            return b.build();
        }
    }
}
