package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.stream.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrometheusDetectorMetricsTest {
    @Test
    void shouldExposeTheDetectorsSeriesAndTheJvmsOwn() throws Exception {
        PrometheusDetectorMetrics metrics = new PrometheusDetectorMetrics();
        metrics.frameScored("line-1");
        metrics.frameScored("line-1");
        metrics.anomaly("line-1");
        metrics.deadLetter(DeadLetter.Reason.values()[0]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeTo(out);
        String text = out.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("frameguard_frames_scored_total{source=\"line-1\"} 2.0");
        assertThat(text).contains("frameguard_anomalies_total{source=\"line-1\"} 1.0");
        // what an operator (and bench pipeline's serve-process figures) reads for memory
        assertThat(text).containsPattern("(?m)^jvm_memory_used_bytes\\{area=\"heap\"} [0-9.eE+]+$");
        assertThat(text).containsPattern("(?m)^jvm_memory_pool_collection_used_bytes\\{pool=\"[^\"]*(Old|Tenured)[^\"]*\"}");
        assertThat(text).containsPattern("(?m)^process_resident_memory_bytes [0-9.eE+]+$");
    }

    @Test
    void shouldDropAnExpiredSourcesSeries() throws Exception {
        PrometheusDetectorMetrics metrics = new PrometheusDetectorMetrics();
        for (String source : new String[] {"line-1", "line-2"}) {
            metrics.frameScored(source);
            metrics.anomaly(source);
            metrics.threshold(source, 0.5);
        }
        metrics.sourceExpired("line-1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeTo(out);
        String text = out.toString(StandardCharsets.UTF_8);

        assertThat(text).doesNotContain("source=\"line-1\"");
        assertThat(text).contains("frameguard_frames_scored_total{source=\"line-2\"} 1.0", "frameguard_threshold{source=\"line-2\"} 0.5");
    }
}
