package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.Json;
import io.frameguard.stream.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config/grafana/dashboards/frameguard.json is a Grafana dashboard model whose every query names
 * series /metrics exports. Series that exist only on a running detector (partition lag, Detector's
 * own gauges) are checked against a live /metrics by MetricsEndpointIT.
 */
class GrafanaDashboardTest {
    static final Path DASHBOARD = Path.of("config/grafana/dashboards/frameguard.json");
    static final Set<String> ONLY_WHILE_RUNNING = Set.of("kafka_consumer_fetch_manager_records_lag", "frameguard_consumer_lag",
            "frameguard_running");
    private static final Pattern SERIES = Pattern.compile("\\b((?:frameguard|kafka|jvm|process)_[a-zA-Z0-9_]+)");

    @Test
    void shouldBeAGrafanaDashboardModelWithUniquePanelsOnTheProvisionedDatasource() throws IOException {
        JsonNode d = Json.MAPPER.readTree(DASHBOARD.toFile());
        assertThat(d.get("uid").asText()).isEqualTo("frameguard");
        assertThat(d.get("title").asText()).isNotBlank();
        assertThat(d.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        String datasource = Files.readString(Path.of("config/grafana/provisioning/datasources/prometheus.yml"));
        Set<Integer> ids = new HashSet<>();
        assertThat(d.get("panels")).hasSizeGreaterThanOrEqualTo(10);
        for (JsonNode p : d.get("panels")) {
            assertThat(ids.add(p.get("id").asInt())).as("panel id %s unique", p.get("id")).isTrue();
            assertThat(p.get("type").asText()).isIn("timeseries", "stat", "gauge", "table");
            for (String k : new String[] {"h", "w", "x", "y"}) {
                assertThat(p.get("gridPos").get(k).isInt()).as(p.get("title") + " gridPos." + k).isTrue();
            }
            assertThat(datasource).contains("uid: " + p.get("datasource").get("uid").asText());
            assertThat(p.get("targets")).isNotEmpty();
            for (JsonNode t : p.get("targets")) {
                assertThat(t.get("refId").asText()).isNotBlank();
                assertThat(t.get("expr").asText()).isNotBlank();
            }
        }
    }

    @Test
    void shouldQueryOnlySeriesThatMetricsExports(@TempDir Path dir) throws Exception {
        PrometheusDetectorMetrics detector = new PrometheusDetectorMetrics();
        detector.frameScored("line-1");
        detector.anomaly("line-1");
        detector.deadLetter(DeadLetter.Reason.UNDECODABLE);
        detector.threshold("line-1", 0.5);
        detector.batchScored(4, 0.01);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        detector.writeTo(out);
        String scrape = out.toString(StandardCharsets.UTF_8) + KafkaClientMetricsTest.scrape(dir);
        for (String name : seriesQueried()) {
            if (!ONLY_WHILE_RUNNING.contains(name)) {
                assertThat(scrape).as("the dashboard queries " + name).containsPattern("(?m)^" + name + "[{ ]");
            }
        }
    }

    /** Every series name the dashboard's queries use. */
    static Set<String> seriesQueried() throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode p : Json.MAPPER.readTree(DASHBOARD.toFile()).get("panels")) {
            for (JsonNode t : p.get("targets")) {
                Matcher m = SERIES.matcher(t.get("expr").asText());
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
