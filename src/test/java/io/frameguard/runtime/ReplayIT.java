package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.Json;
import io.frameguard.TestData;
import io.frameguard.avro.Encoding;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.harness.traffic.CameraSimulator;
import io.frameguard.harness.traffic.FrameMix;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import io.frameguard.stream.Topics;
import io.frameguard.topics.ScoreTopicReader;
import io.frameguard.training.Trainer;
import io.frameguard.training.TrainingOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code replay} on a recorded topic of real MNIST frames on a real embedded broker. */
class ReplayIT {
    static final String FIXTURE = TestData.FIXTURE_BUNDLE.toString();
    static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void start(@TempDir Path d) {
        kafka = EmbeddedKafka.start(d);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = io.frameguard.cli.FrameGuard.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    void record(String topic, int count, boolean labels) {
        FrameGuardConfig c = FrameGuardConfig.load(null, Map.of(), Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "topic.frames", topic));
        kafka.createTopics(List.of(topic), 2);
        ImageSet test = TestData.mnist(Split.TEST);
        FrameMix mix = new FrameMix(test.filter("1"::equals), test.filter(l -> !l.equals("1")), 0.1, 3);
        new CameraSimulator(c.clientProperties(), topic, Topics.of(c).frameSerde().serializer())
                .run(mix, List.of("line-1", "line-2"), count, 0, labels, Encoding.RAW_U8, n -> { });
    }

    @Test
    void shouldCompareTwoModelsOnTenThousandRecordedFrames() throws Exception {
        record("recorded", 10_000, true);
        Path second = dir.resolve("dense.bundle");
        new Trainer(new PrintWriter(new StringWriter())).train(ModelSpec.defaults(ModelFamily.DENSE),
                new TrainingOptions(2, 128, 0.1, 2, false), TestData.mnist(Split.TRAIN).filter("1"::equals), "mnist",
                List.of("1")).save(second);
        Path json = dir.resolve("replay.json");
        String[] r = run("replay", "-b", kafka.bootstrapServers(), "--topic", "recorded", "--from-beginning",
                "--model", FIXTURE, "--compare", second.toString(), "--json", json.toString(),
                "--report", dir.resolve("report").toString());
        System.out.println(r[1]);
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("read 10,000 records from recorded").contains("comparison: the models agree on");
        JsonNode j = Json.MAPPER.readTree(json.toFile());
        assertThat(j.get("runs")).hasSize(2);
        for (JsonNode run : j.get("runs")) {
            assertThat(run.get("n_normal").asInt() + run.get("n_anomaly").asInt()).isEqualTo(10_000);
            assertThat(run.get("auroc").asDouble()).isGreaterThan(0.9);
        }
        assertThat(j.get("runs").get(0).get("model").asText()).startsWith("shallow-");
        assertThat(j.get("runs").get(1).get("model").asText()).startsWith("dense-");
        assertThat(j.get("summary").get("agreement").asDouble()).isBetween(0.5, 1.0);
        assertThat(dir.resolve("report/b/index.html")).isNotEmptyFile();
    }

    /** A shadow model on a live detector, then replay comparing what the two emitted, frame by frame. */
    @Test
    void shouldCompareTheLiveModelWithItsShadowFromTheirScoresTopics() throws Exception {
        record("shadowed-frames", 2_000, true);
        Path candidate = dir.resolve("candidate.bundle");
        ModelBundle trained = new Trainer(new PrintWriter(new StringWriter())).train(ModelSpec.defaults(ModelFamily.DENSE),
                new TrainingOptions(2, 128, 0.1, 2, false), TestData.mnist(Split.TRAIN).filter("1"::equals), "mnist",
                List.of("1"));
        trained.save(candidate);
        FrameGuardConfig c = FrameGuardConfig.load(null, Map.of(), Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "application.id", "it-shadow", "state.dir", dir.resolve("state").toString(), "http.port", "-1",
                "topic.frames", "shadowed-frames", "topic.scores", "live-scores", "topic.anomalies", "live-anomalies",
                "topic.dlq", "live-dlq", "shadow.model.path", candidate.toString(), "topic.shadow.scores", "candidate-scores"));
        Topics topics = Topics.of(c);
        kafka.createTopics(topics.all().stream().filter(t -> !t.equals("shadowed-frames")).toList(), 2);
        ModelBundle live = ModelBundle.load(TestData.FIXTURE_BUNDLE);
        try (Detector d = new Detector(c, live).start()) {
            assertThat(d.awaitRunning(java.time.Duration.ofSeconds(60))).isTrue();
            assertThat(ScoreTopicReader.read(c.clientProperties(), "candidate-scores", topics.scoreSerde().deserializer(), 2_000,
                    java.time.Duration.ofSeconds(90))).hasSize(2_000)
                    .allSatisfy(s -> assertThat(s.getModelId()).isEqualTo(trained.modelId()));
        }
        Path json = dir.resolve("shadow.json");
        String[] r = run("replay", "-b", kafka.bootstrapServers(), "--scores-topic", "live-scores,candidate-scores",
                "--normal", "1", "--json", json.toString());
        System.out.println(r[1]);
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("2,000 frames in both topics (a = live-scores, b = candidate-scores)");
        JsonNode j = Json.MAPPER.readTree(json.toFile());
        assertThat(j.get("runs")).hasSize(2);
        assertThat(j.get("runs").get(0).get("model").asText()).isEqualTo(live.modelId());
        assertThat(j.get("runs").get(1).get("model").asText()).isEqualTo(trained.modelId());
        assertThat(j.get("summary").get("agreement").asDouble()).isBetween(0.5, 1.0);
        assertThat(ScoreTopicReader.read(c.clientProperties(), "live-anomalies", topics.anomalySerde().deserializer(), 10_000,
                java.time.Duration.ofSeconds(3))).as("the shadow never alerts")
                .allSatisfy(e -> assertThat(e.getModelId()).isEqualTo(live.modelId()));
    }

    @Test
    void shouldSayWhatIsWrongWithTheReplayInsteadOfAnEmptyReport() {
        String[] missing = run("replay", "-b", kafka.bootstrapServers(), "--topic", "no-such-topic", "--model", FIXTURE);
        assertThat(missing[0]).isEqualTo("1");
        assertThat(missing[2]).contains("topic 'no-such-topic' does not exist").hasLineCount(1);

        record("unlabelled", 50, false);
        String[] noLabels = run("replay", "-b", kafka.bootstrapServers(), "--topic", "unlabelled", "--model", FIXTURE);
        assertThat(noLabels[0]).isEqualTo("0");
        assertThat(noLabels[1]).contains("no labels: metrics that need labels are skipped");

        String[] empty = run("replay", "-b", kafka.bootstrapServers(), "--topic", "unlabelled", "--model", FIXTURE,
                "--from", "2999-01-01T00:00:00Z");
        assertThat(empty[0]).isEqualTo("1");
        assertThat(empty[2]).contains("no records in topic unlabelled from 2999-01-01T00:00:00Z").hasLineCount(1);

        FrameGuardConfig c = FrameGuardConfig.load(null, Map.of(), Map.of("bootstrap.servers", kafka.bootstrapServers()));
        kafka.createTopics(List.of("small-frames"), 1);
        ImageSet small = new ImageSet("small", 14, 14, new byte[20 * 196], java.util.Collections.nCopies(20, "1")
                .toArray(String[]::new));
        new CameraSimulator(c.clientProperties(), "small-frames", Topics.of(c).frameSerde().serializer())
                .run(new FrameMix(small, null, 0, 1), List.of("line-1"), 20, 0, true, Encoding.RAW_U8, n -> { });
        String[] mismatch = run("replay", "-b", kafka.bootstrapServers(), "--topic", "small-frames", "--model", FIXTURE);
        assertThat(mismatch[0]).isEqualTo("1");
        assertThat(mismatch[2]).contains("expects 28x28 frames; the recorded frames have another size").hasLineCount(1);
    }
}
