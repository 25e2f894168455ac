package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.config.FrameGuardConfig;
import io.frameguard.model.ModelBundle;
import io.frameguard.stream.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics of a detector that has scored frames on a real broker: its own series, the Kafka Streams and client ones, and the dashboard's. */
class MetricsEndpointIT {
    @Test
    void shouldExportKafkaStreamsAndClientMetricsAndEverySeriesTheDashboardQueries(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            FrameGuardConfig c = FrameGuardConfig.load(null, Map.of(), Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "application.id", "it-metrics", "model.path", DetectorIT.MODEL.toString(), "state.dir", dir.resolve("state").toString(),
                    "http.port", "0", "batch.size", "32", "linger.ms", "20"));
            kafka.createTopics(Topics.of(c).all(), 2);
            DetectorIT.test = io.frameguard.TestData.mnist(io.frameguard.data.KnownDataset.Split.TEST);
            try (Detector d = new Detector(c, ModelBundle.load(DetectorIT.MODEL)).start()) {
                List<Object> input = new java.util.ArrayList<>(DetectorIT.frames(0, 200));
                input.add(new byte[] {1, 2, 3});   // one dead letter, so its counter has a series
                DetectorIT.send(c, input);
                assertThat(DetectorIT.scoresById(c, 200, Duration.ofSeconds(90))).hasSize(200);
                String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + d.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();

                assertThat(text).containsPattern("(?m)^kafka_consumer_fetch_manager_records_lag\\{.*partition=\"[01]\".*topic=\"frames\"} ");
                assertThat(text).containsPattern("(?m)^kafka_stream_thread_process_rate\\{thread_id=\"[^\"]+\"} [1-9]");
                assertThat(text).containsPattern("(?m)^kafka_stream_state\\{.*state=\"RUNNING\"} 1");
                assertThat(text).containsPattern("(?m)^kafka_stream_thread_state\\{state=\"RUNNING\"");
                assertThat(text).containsPattern("(?m)^kafka_stream_task_process_rate\\{|^kafka_stream_task_[a-z_]+\\{");
                assertThat(text).containsPattern("(?m)^kafka_producer_record_error_total\\{");
                assertThat(text).containsPattern("(?m)^frameguard_scoring_seconds_bucket\\{");
                assertThat(text).containsPattern("(?m)^frameguard_batch_size_bucket\\{");
                for (String name : GrafanaDashboardTest.seriesQueried()) {
                    assertThat(text).as("the dashboard queries " + name).containsPattern("(?m)^" + name + "[{ ]");
                }
            }
        }
    }
}
