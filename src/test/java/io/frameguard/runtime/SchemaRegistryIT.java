package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.FrameGuardException;
import io.frameguard.Json;
import io.frameguard.avro.FrameScore;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.model.ModelBundle;
import io.frameguard.stream.DeadLetter;
import io.frameguard.stream.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector against a real Schema Registry (Apicurio, Confluent API) and a real KRaft broker,
 * with a third-party client on both ends: Debian's python3-confluent-kafka, whose Avro serializer
 * writes the frames (examples/camera_producer.py) and whose deserializer reads the anomalies back
 * (examples/alert_consumer.py).
 */
class SchemaRegistryIT {
    static EmbeddedKafka kafka;
    static ModelBundle bundle;

    @TempDir
    Path state;

    @BeforeAll
    static void start(@TempDir Path dir) {
        kafka = EmbeddedKafka.start(dir);
        bundle = ModelBundle.load(DetectorIT.MODEL);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    FrameGuardConfig config(String app, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "application.id", app,
                "model.path", DetectorIT.MODEL.toString(), "topic.frames", app + "-frames", "topic.scores", app + "-scores",
                "topic.anomalies", app + "-anomalies", "topic.dlq", app + "-dlq", "state.dir", state.toString(), "http.port", "-1"));
        m.put("batch.size", "64");
        m.putAll(extra);
        FrameGuardConfig c = FrameGuardConfig.load(null, Map.of(), m);
        kafka.createTopics(Topics.of(c).all(), 2);
        return c;
    }

    @Test
    void shouldScoreFramesFromConfluentKafkasAvroSerializerAndReturnAnomaliesToItsDeserializer() throws Exception {
        String registry = ApicurioRegistry.url();
        roundTrip(config("sr-confluent", Map.of("wire.format", "confluent", "schema.registry.url", registry)),
                List.of("--format", "confluent", "--registry", registry));
    }

    @Test
    void shouldScoreSingleObjectFramesFromPythonAndReturnAnomaliesToIt() throws Exception {
        roundTrip(config("sr-single", Map.of()), List.of("--format", "single-object"));
    }

    @Test
    void shouldFailStartInOneLineWhenTheRegistryIsUnreachable() {
        FrameGuardConfig c = config("sr-down", Map.of("wire.format", "confluent", "schema.registry.url", "http://127.0.0.1:1"));
        assertThatThrownBy(() -> new Detector(c, bundle).start()).isInstanceOf(FrameGuardException.class)
                .hasMessageContaining("schema registry http://127.0.0.1:1/ unreachable")
                .hasMessageContaining("(schema.registry.url)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void shouldDeadLetterAFrameWhoseSchemaIdTheRegistryDoesNotKnow() throws Exception {
        FrameGuardConfig c = config("sr-unknown", Map.of("wire.format", "auto", "schema.registry.url", ApicurioRegistry.url()));
        byte[] unknown = {0, 0x0f, 0x42, 0x40, 0x00, 2, 'f', 2, 's'};   // schema id 0x0F424000, never registered
        try (Detector d = new Detector(c, bundle).start();
             KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(c.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(c.getString("topic.frames"), "line-1".getBytes(StandardCharsets.UTF_8), unknown)).get();
            var dead = KafkaTopics.readUntil(kafka.bootstrapServers(), c.getString("topic.dlq"), r -> !r.isEmpty(), Duration.ofSeconds(60));
            assertThat(dead).hasSize(1);
            assertThat(DeadLetter.header(dead.get(0).headers(), DeadLetter.REASON_CODE)).isEqualTo("unknown_schema");
            assertThat(DeadLetter.header(dead.get(0).headers(), DeadLetter.REASON)).startsWith("unknown schema id " + 0x0f424000);
            assertThat(dead.get(0).value()).containsExactly(unknown);
        }
    }

    /** Python produces 400 real MNIST test frames; every one is scored once; Python reads every anomaly back. */
    private void roundTrip(FrameGuardConfig c, List<String> format) throws Exception {
        int n = 400;
        try (Detector d = new Detector(c, bundle).start()) {
            List<String> produce = new ArrayList<>(List.of("examples/camera_producer.py", "--bootstrap", kafka.bootstrapServers(),
                    "--topic", c.getString("topic.frames"), "--images", "data/mnist/t10k-images-idx3-ubyte",
                    "--labels", "data/mnist/t10k-labels-idx1-ubyte", "--count", Integer.toString(n)));
            produce.addAll(format);
            assertThat(python(produce)).contains("sent " + n + " frames");

            Map<String, FrameScore> scores = DetectorIT.scoresById(c, n, Duration.ofSeconds(90));
            assertThat(scores).hasSize(n);
            List<String> flagged = scores.values().stream().filter(FrameScore::getIsAnomaly).map(FrameScore::getFrameId).toList();
            assertThat(flagged).hasSizeGreaterThan(50);

            List<String> consume = new ArrayList<>(List.of("examples/alert_consumer.py", "--bootstrap", kafka.bootstrapServers(),
                    "--topic", c.getString("topic.anomalies"), "--max", Integer.toString(flagged.size()), "--timeout", "30"));
            consume.addAll(format);
            List<String> ids = new ArrayList<>();
            for (String line : python(consume).lines().toList()) {
                JsonNode event = Json.MAPPER.readTree(line);
                assertThat(event.get("severity").asDouble()).isGreaterThan(1.0);
                ids.add(event.get("frame_id").asText());
            }
            assertThat(ids).containsExactlyInAnyOrderElementsOf(flagged);
        }
    }

    static String python(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
        cmd.addAll(args);
        // to files, not pipes: hundreds of events would fill a pipe and block the script
        Path out = Files.createTempFile("python-out", ".txt");
        Path err = Files.createTempFile("python-err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
