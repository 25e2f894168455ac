package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.Json;
import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.BoundingBox;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.stream.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/alert_consumer.py, with Debian's python3-confluent-kafka and python3-avro, decodes
 * AnomalyEvents from a real broker using only schemas/AnomalyEvent.avsc.
 */
class PythonConsumerIT {
    @Test
    void shouldDecodeAnomalyEventsInPythonWithTheSchemaFileAlone(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            FrameGuardConfig c = FrameGuardConfig.load(null, Map.of(), Map.of("bootstrap.servers", kafka.bootstrapServers()));
            kafka.createTopics(List.of("py-anomalies"), 1);
            Topics t = Topics.of(c);
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(c.clientProperties(), new StringSerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < 3; i++) {
                    AnomalyEvent e = AnomalyEvent.newBuilder().setFrameId("f" + i).setSourceId("line-" + i)
                            .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L)).setDetectionTime(Instant.ofEpochMilli(1_700_000_000_050L))
                            .setScore(0.5 + i).setThreshold(0.25).setStrategy("mean-std").setSeverity((0.5 + i) / 0.25)
                            .setModelId("dense-mnist-1").setModelVersion("test").setLabel(i == 0 ? null : "7")
                            .setBbox(new BoundingBox(1, 2, 3, 4)).setAnomalyMap(ByteBuffer.wrap(new byte[] {1, 2})).build();
                    p.send(new ProducerRecord<>("py-anomalies", e.getSourceId(), t.anomalySerde().serializer().serialize("x", e)));
                }
            }
            String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
            Process proc = new ProcessBuilder(python, "examples/alert_consumer.py", "--bootstrap", kafka.bootstrapServers(),
                    "--topic", "py-anomalies", "--max", "3", "--timeout", "60").redirectErrorStream(false).start();
            assertThat(proc.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(proc.exitValue()).as(err).isZero();
            List<String> lines = out.lines().toList();
            assertThat(lines).hasSize(3);
            JsonNode last = Json.MAPPER.readTree(lines.get(2));
            assertThat(last.get("frame_id").asText()).isEqualTo("f2");
            assertThat(last.get("severity").asDouble()).isEqualTo(10.0);
            assertThat(last.get("label").asText()).isEqualTo("7");
            assertThat(last.get("bbox").get("height").asInt()).isEqualTo(4);
            assertThat(Json.MAPPER.readTree(lines.get(0)).get("label").isNull()).isTrue();
        }
    }
}
