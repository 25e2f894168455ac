package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.config.FrameGuardConfig;
import io.frameguard.stream.DetectorMetrics;
import io.frameguard.stream.FrameGuardTopology;
import io.frameguard.stream.TestScorers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka Streams and client metrics on /metrics, from an instance that is built but never started (no broker). */
class KafkaClientMetricsTest {
    @Test
    void shouldExportStreamsConsumerAndProducerMetricsInPrometheusNaming(@TempDir Path dir) throws Exception {
        String text = scrape(dir);
        assertThat(text).containsPattern("(?m)^kafka_stream_thread_process_rate\\{.*thread_id=\"[^\"]+\".*} ");
        assertThat(text).containsPattern("(?m)^kafka_stream_thread_commit_latency_avg\\{");
        assertThat(text).containsPattern("(?m)^kafka_stream_thread_punctuate_rate\\{");
        assertThat(text).containsPattern("(?m)^kafka_stream_state\\{.*state=\"CREATED\".*} 1");
        assertThat(text).containsPattern("(?m)^kafka_stream_thread_state\\{state=\"CREATED\",thread_id=\"[^\"]+\"} 1");
        assertThat(text).containsPattern("(?m)^kafka_stream_alive_stream_threads\\{");
        assertThat(text).doesNotContain("kafka_stream_topology_description");
        assertThat(text).containsPattern("(?m)^kafka_producer_record_error_rate\\{.*client_id=");
        assertThat(text).containsPattern("(?m)^kafka_consumer_fetch_manager_records_lag_max\\{");
        assertThat(text).containsPattern("(?m)^kafka_consumer_coordinator_commit_latency_avg\\{");
        assertThat(text).containsPattern("(?m)^# TYPE kafka_producer_record_send_total counter");
        assertThat(text).doesNotContainPattern("(?m)^kafka_[^ {]*-");
    }

    static String scrape(Path dir) throws Exception {
        FrameGuardConfig c = FrameGuardConfig.load(null, Map.of(), Map.of("bootstrap.servers", "localhost:1",
                "state.dir", dir.toString(), "model.path", "unused"));
        PrometheusDetectorMetrics metrics = new PrometheusDetectorMetrics();
        try (KafkaStreams streams = new KafkaStreams(FrameGuardTopology.build(c, TestScorers.fake(), DetectorMetrics.NONE),
                c.streamsProperties())) {
            metrics.kafkaStreams(streams::metrics);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            metrics.writeTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
