package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.frameguard.TestData;
import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.Encoding;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.Scorer;
import io.frameguard.stream.DeadLetter;
import io.frameguard.stream.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector on a real embedded KRaft broker with real MNIST frames and the committed fixture model. */
class DetectorIT {
    static final Path MODEL = TestData.FIXTURE_BUNDLE;
    static EmbeddedKafka kafka;
    static ModelBundle bundle;
    static ImageSet test;

    @TempDir
    Path state;

    @BeforeAll
    static void startBroker(@TempDir Path dir) {
        kafka = EmbeddedKafka.start(dir);
        bundle = ModelBundle.load(MODEL);
        test = TestData.mnist(Split.TEST);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    FrameGuardConfig config(String app, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(), "application.id", app, "model.path", MODEL.toString(),
                "topic.frames", app + "-frames", "topic.scores", app + "-scores", "topic.anomalies", app + "-anomalies",
                "topic.dlq", app + "-dlq", "state.dir", state.toString(), "http.port", "0"));
        m.put("batch.size", "64");
        m.put("linger.ms", "50");
        m.putAll(extra);
        FrameGuardConfig c = FrameGuardConfig.load(null, Map.of(), m);
        kafka.createTopics(Topics.of(c).all(), 2);
        return c;
    }

    /** Test images 0..n-1 as frames from two sources (normal 1s and every other digit, as MNIST orders them). */
    static List<ImageFrame> frames(int from, int n) {
        List<ImageFrame> out = new java.util.ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(ImageFrame.newBuilder().setFrameId("f" + i).setSourceId(i % 2 == 0 ? "line-1" : "line-2")
                    .setCaptureTime(Instant.now()).setWidth(28).setHeight(28).setChannels(1).setEncoding(Encoding.RAW_U8)
                    .setPixels(ByteBuffer.wrap(test.image(i))).setLabel(test.label(i)).build());
        }
        return out;
    }

    static void send(FrameGuardConfig c, List<?> records) {
        Topics t = Topics.of(c);
        Properties p = c.clientProperties();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Object r : records) {
                if (r instanceof ImageFrame f) {
                    producer.send(new ProducerRecord<>(t.frames(), f.getSourceId().getBytes(), t.frameSerde().serializer().serialize(t.frames(), f)));
                } else {
                    producer.send(new ProducerRecord<>(t.frames(), "line-1".getBytes(), (byte[]) r));
                }
            }
        }
    }

    static Map<String, FrameScore> scoresById(FrameGuardConfig c, int expected, Duration timeout) {
        Topics t = Topics.of(c);
        List<ConsumerRecord<byte[], byte[]>> recs = KafkaTopics.readAll(c.getString("bootstrap.servers"), t.scores(), expected, timeout);
        List<FrameScore> scores = recs.stream().map(r -> t.scoreSerde().deserializer().deserialize(t.scores(), r.value())).toList();
        Map<String, FrameScore> byId = scores.stream().collect(Collectors.toMap(FrameScore::getFrameId, Function.identity(), (a, b) -> {
            throw new AssertionError("frame " + a.getFrameId() + " scored twice");
        }));
        assertThat(scores).hasSize(byId.size());
        return byId;
    }

    @Test
    void shouldScoreEveryFrameExactlyOnceAsEvaluateDoesAndDeadLetterBadRecords() throws Exception {
        FrameGuardConfig c = config("it-main", Map.of());
        List<ImageFrame> frames = frames(0, 600);
        List<Object> input = new java.util.ArrayList<>(frames.subList(0, 300));
        input.add(new byte[] {1, 2, 3});
        input.add(ImageFrame.newBuilder(frames.get(0)).setFrameId("small").setWidth(14).setHeight(14)
                .setPixels(ByteBuffer.wrap(new byte[196])).build());
        input.addAll(frames.subList(300, 600));
        send(c, input);
        try (Detector d = new Detector(c, bundle).start()) {
            Map<String, FrameScore> byId = scoresById(c, 600, Duration.ofSeconds(90));
            assertThat(byId).hasSize(600);

            double[] offline = new Scorer(bundle).scoreAll(test.head(600), 256);
            for (int i = 0; i < 600; i++) {
                FrameScore s = byId.get("f" + i);
                assertThat(s.getScore()).as("f" + i).isCloseTo(offline[i], within(1e-5));
                assertThat(s.getIsAnomaly()).isEqualTo(s.getScore() > s.getThreshold());
                assertThat(s.getLabel()).isEqualTo(test.label(i));
            }
            Topics t = Topics.of(c);
            long flagged = byId.values().stream().filter(FrameScore::getIsAnomaly).count();
            assertThat(flagged).isGreaterThan(100);
            List<AnomalyEvent> events = KafkaTopics.readAll(kafka.bootstrapServers(), t.anomalies(), (int) flagged,
                    Duration.ofSeconds(30)).stream().map(r -> t.anomalySerde().deserializer().deserialize(t.anomalies(), r.value())).toList();
            assertThat(events).extracting(AnomalyEvent::getFrameId).containsExactlyInAnyOrderElementsOf(
                    byId.values().stream().filter(FrameScore::getIsAnomaly).map(FrameScore::getFrameId).toList());

            var dead = KafkaTopics.readUntil(kafka.bootstrapServers(), t.deadLetters(), r -> r.size() >= 2, Duration.ofSeconds(20));
            assertThat(dead).extracting(r -> DeadLetter.header(r.headers(), DeadLetter.REASON_CODE))
                    .containsExactly("undecodable", "wrong_size");
            assertThat(dead.get(0).value()).containsExactly(1, 2, 3);
            assertThat(d.thresholds()).containsKeys("line-1", "line-2");
        }
    }

    @Test
    void shouldFlushAPartialBatchByLingerWhenTrafficStops() throws Exception {
        FrameGuardConfig c = config("it-linger", Map.of("batch.size", "256", "linger.ms", "200"));
        try (Detector d = new Detector(c, bundle).start()) {
            assertThat(d.awaitRunning(Duration.ofSeconds(60))).isTrue();
            send(c, List.copyOf(frames(1000, 5)));
            assertThat(scoresById(c, 5, Duration.ofSeconds(30))).hasSize(5);
        }
    }

    @Test
    void shouldAnswerReadyWhenRunningAndLeaveTheConsumerGroupWhenClosed() throws Exception {
        FrameGuardConfig c = config("it-health", Map.of());
        try (Detector d = new Detector(c, bundle).start(); Admin admin = Admin.create(c.clientProperties())) {
            assertThat(d.awaitRunning(Duration.ofSeconds(60))).isTrue();
            assertThat(httpStatus(d, "/health/live")).isEqualTo(200);
            assertThat(httpStatus(d, "/health/ready")).isEqualTo(200);
            assertThat(httpStatus(d, "/health")).isEqualTo(200);
            assertThat(members(admin, "it-health")).isNotEmpty();
            // warmed up: from now on the JIT compiles on the CPU the serving threads leave
            int nice = c.getInt(FrameGuardConfig.JIT_NICE_AFTER_WARM_UP);
            assertThat(nice).isPositive();
            assertThat(CompilerPriority.compilerThreads()).isNotEmpty()
                    .allSatisfy(t -> assertThat(CompilerPriority.nice(t)).isGreaterThanOrEqualTo(nice));
            d.close();
            // without leaving, the member would stay until session.timeout.ms (45 s) and hold its partitions
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!members(admin, "it-health").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(members(admin, "it-health")).isEmpty();
        }
    }

    private static int httpStatus(Detector d, String path) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + d.httpPort() + path)).build();
        return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static Collection<?> members(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get(20, TimeUnit.SECONDS).get(group).members();
    }

    @Test
    void shouldLoseAndDuplicateNothingAndKeepThresholdsAcrossARestartMidStream() throws Exception {
        // trusted labels: each labelled-normal frame joins its window once, a count the restart must keep
        Map<String, String> cfg = Map.of("batch.size", "32", "linger.ms", "30", "commit.interval.ms", "50",
                "threshold.trust.labels", "true");
        FrameGuardConfig c = config("it-restart", cfg);
        int n = 2000;
        Thread producer = new Thread(() -> {
            for (int i = 0; i < n; i += 100) {
                send(c, List.copyOf(frames(i, 100)));
            }
        });
        producer.start();
        Detector first = new Detector(c, bundle).start();
        KafkaTopics.readUntil(kafka.bootstrapServers(), Topics.of(c).scores(), r -> r.size() >= 400, Duration.ofSeconds(60));
        first.close();
        producer.join();
        // A fresh state folder: the stores must come back from their changelogs, not from local files.
        Map<String, String> second2 = new HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "application.id", "it-restart", "model.path", MODEL.toString(), "topic.frames", "it-restart-frames",
                "topic.scores", "it-restart-scores", "topic.anomalies", "it-restart-anomalies", "topic.dlq", "it-restart-dlq",
                "state.dir", Files.createTempDirectory(state, "second").toString(), "http.port", "0", "batch.size", "32"));
        second2.put("threshold.trust.labels", "true");
        FrameGuardConfig c2 = FrameGuardConfig.load(null, Map.of(), second2);
        try (Detector second = new Detector(c2, bundle).start()) {
            Map<String, FrameScore> byId = scoresById(c2, n, Duration.ofSeconds(120));
            assertThat(byId).hasSize(n);
            long normalOnes = java.util.stream.IntStream.range(0, n).filter(i -> test.label(i).equals("1")).count();
            var thresholds = second.thresholds();
            long updates = thresholds.values().stream().mapToLong(m -> ((Number) m.get("updates")).longValue()).sum();
            assertThat(updates).as("every labelled-normal frame updated its threshold exactly once").isEqualTo(normalOnes);
        }
    }
}
