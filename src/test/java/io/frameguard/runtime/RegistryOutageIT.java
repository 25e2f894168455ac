package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.TestData;
import io.frameguard.avro.ImageFrame;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.config.RegistrySettings;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.harness.registry.RegistryFrames;
import io.frameguard.model.ModelBundle;
import io.frameguard.stream.Topics;
import io.frameguard.stream.serde.registry.SchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Schema Registry that hangs mid-stream, while frames arrive with a schema id the detector has not
 * cached: the detector waits and retries, and once the registry answers again every frame is scored
 * exactly once and none is dead-lettered.
 */
class RegistryOutageIT {
    @Test
    void shouldScoreEveryFrameOnceTheRegistryIsBackAndDeadLetterNoneDuringTheOutage(@TempDir Path dir) throws Exception {
        String registry = ApicurioRegistry.url();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            FrameGuardConfig c = FrameGuardConfig.load(null, Map.of(), Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "application.id", "it-outage", "model.path", DetectorIT.MODEL.toString(), "state.dir", dir.resolve("state").toString(),
                    "http.port", "-1", "batch.size", "32", "wire.format", "confluent", "schema.registry.url", registry,
                    "schema.registry.retry.max.ms", "2000"));
            kafka.createTopics(Topics.of(c).all(), 2);
            // a newer producer's schema, registered while the registry is up; the detector has never seen its id
            Schema newer = RegistryFrames.newer(ImageFrame.getClassSchema());
            int id = new SchemaRegistryClient(RegistrySettings.of(registry)).register("frames-value", newer);
            DetectorIT.test = TestData.mnist(Split.TEST);
            int n = 100;
            try (Detector d = new Detector(c, ModelBundle.load(DetectorIT.MODEL)).start()) {
                assertThat(d.awaitRunning(Duration.ofSeconds(60))).isTrue();
                ApicurioRegistry.pause();
                try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(c.clientProperties(), new ByteArraySerializer(),
                        new ByteArraySerializer())) {
                    for (ImageFrame f : DetectorIT.frames(0, n)) {
                        p.send(new ProducerRecord<>("frames", f.getSourceId().getBytes(StandardCharsets.UTF_8), 
                                RegistryFrames.encode(newer, id, f)));
                    }
                    p.flush();
                    Thread.sleep(8_000);   // longer than the retry budget: stream threads give up and are replaced meanwhile
                    assertThat(KafkaTopics.readUntil(kafka.bootstrapServers(), "frame-scores", r -> false, Duration.ofSeconds(2)))
                            .as("nothing can be scored while the registry hangs").isEmpty();
                } finally {
                    ApicurioRegistry.resume();
                }
                assertThat(DetectorIT.scoresById(c, n, Duration.ofSeconds(120))).hasSize(n);
                assertThat(KafkaTopics.readUntil(kafka.bootstrapServers(), "frames-dlq", r -> false, Duration.ofSeconds(3)))
                        .as("an outage sends no valid frame to the dead-letter topic").isEmpty();
                assertThat(d.isReady()).isTrue();
            }
        }
    }
}
