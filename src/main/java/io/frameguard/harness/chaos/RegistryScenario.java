package io.frameguard.harness.chaos;

import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.config.RegistrySettings;
import io.frameguard.harness.registry.ApicurioRegistry;
import io.frameguard.harness.registry.RegistryFrames;
import io.frameguard.stream.serde.WireFormat;
import io.frameguard.stream.serde.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The Schema Registry is SIGKILLed mid-stream while a producer moves to a newer {@code ImageFrame}
 * schema (a field added with a default) whose id the detector has never looked up; it comes back
 * {@link #DOWN_MS} later from its own storage. A detector on {@code wire.format=confluent} must wait
 * and retry (its stream threads give up after {@code schema.registry.retry.max.ms} and are replaced,
 * re-reading from the last commit), dead-letter nothing meanwhile, and score every frame exactly
 * once when the registry is back, with the verdicts of an undisturbed run.
 */
final class RegistryScenario {
    static final long DOWN_MS = 15_000;
    /** Share of the frames written with the detector's own schema, before the registry is killed. */
    static final double BEFORE = 0.4;

    private final ChaosSuite suite;

    RegistryScenario(ChaosSuite suite) {
        this.suite = suite;
    }

    /** {@code dir}: the registry's storage and log (the scenario's cluster has a folder of its own). */
    ChaosSuite.Result run(ChaosSuite.Options o, java.nio.file.Path dir) {
        ChaosSuite.deleteQuietly(dir);
        try (ApicurioRegistry registry = ApicurioRegistry.start(dir.resolve("registry-db"), dir.resolve("registry.log"))) {
            SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
            Schema current = ImageFrame.getClassSchema();
            Schema newer = RegistryFrames.newer(current);
            int currentId = client.register("frames-value", current);
            int newerId = client.register("frames-value", newer);
            int before = (int) Math.round(BEFORE * o.frames());
            Workload w = suite.workload(o.frames(), 0, o.seed(), Workload.SOURCES, new Switching(current, currentId, newer,
                    newerId, before));
            Deserializer<FrameScore> scores = WireFormat.confluent(RegistrySettings.of(registry.url()))
                    .serde(FrameScore.class).deserializer();
            // the registry's H2 file commits about once a second: let the registrations reach the disk
            // before the first SIGKILL, as they would have on a registry backed by a database
            KafkaNodes.sleep(2_000);
            return suite.withCluster("registry", 1, null, w, scores, run -> {
                run.extra.putAll(Map.of("wire.format", "confluent", "schema.registry.url", registry.url(),
                        "schema.registry.retry.max.ms", "3000"));
                DetectorProcess d = run.detector("detector", "chaos-registry", "").start(Duration.ofSeconds(120));
                w.produce(run.nodes.internalClientConfig(), "frames", 0, before);
                run.awaitProgress("scores", 0.9 * before / w.size());
                registry.kill();
                suite.say(String.format("   SIGKILL of the Schema Registry at ~%.0f%% of the frames scored; the rest use"
                        + " schema id %d, which the detector has not seen", 90.0 * before / w.size(), newerId));
                w.produce(run.nodes.internalClientConfig(), "frames", before, w.size());
                KafkaNodes.sleep(DOWN_MS);
                registry.restart();
                suite.say("   Schema Registry restarted after " + DOWN_MS / 1000 + " s, from its own storage");
                // the audit fails on any dead letter: the workload has no bad record
                return run.finish(List.of(d), 1, "registry SIGKILLed for " + DOWN_MS / 1000
                        + " s mid-stream while producers moved to a newer schema; nothing dead-lettered; detector never restarted");
            });
        }
    }

    /** Registry framing, with the current schema for the first {@code before} frames and the newer one after. */
    private static final class Switching implements Serializer<ImageFrame> {
        private final Schema current;
        private final Schema newer;
        private final int currentId;
        private final int newerId;
        private final int before;
        private int written;

        Switching(Schema current, int currentId, Schema newer, int newerId, int before) {
            this.current = current;
            this.newer = newer;
            this.currentId = currentId;
            this.newerId = newerId;
            this.before = before;
        }

        @Override
        public byte[] serialize(String topic, ImageFrame frame) {
            boolean old = written++ < before;
            return RegistryFrames.encode(old ? current : newer, old ? currentId : newerId, frame);
        }
    }
}
