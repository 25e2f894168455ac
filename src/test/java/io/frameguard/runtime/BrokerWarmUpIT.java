package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.TestData;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.stream.BatchScorer;
import io.frameguard.stream.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up on a real broker: the detector's topology runs as an application of its own on topics
 * of its own, scores the synthetic frames, writes nothing to the line's topics, leaves its group and
 * its local state behind it, and starts again on what it left.
 */
class BrokerWarmUpIT {
    static EmbeddedKafka kafka;
    static BatchScorer model;

    @TempDir
    Path state;

    @BeforeAll
    static void startBroker(@TempDir Path dir) {
        kafka = EmbeddedKafka.start(dir);
        model = Models.load(TestData.FIXTURE_BUNDLE, 1);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private FrameGuardConfig config(String app, String guarantee) {
        Map<String, String> m = new HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "application.id", app,
                "model.path", TestData.FIXTURE_BUNDLE.toString(), "topic.frames", app + "-frames", "topic.scores", app + "-scores",
                "topic.anomalies", app + "-anomalies", "topic.dlq", app + "-dlq", "state.dir", state.toString(),
                "processing.guarantee", guarantee));
        FrameGuardConfig c = FrameGuardConfig.load(null, Map.of(), m);
        kafka.createTopics(Topics.of(c).all(), 3);
        return c;
    }

    @Test
    void shouldScoreSyntheticFramesOnItsOwnTopicsOnlyAndLeaveNothingRunning() throws Exception {
        FrameGuardConfig c = config("warm-eos", "exactly_once_v2");

        var r = BrokerWarmUp.run(c, Topics.of(c), model, PipelineWarmUp.frames(c, Topics.of(c), model), BrokerWarmUp.MAX_RATE, 8_000);

        assertThat(r.rounds()).isGreaterThanOrEqualTo(BrokerWarmUp.MIN_ROUNDS);
        assertThat(r.sent()).isPositive();
        // committed outputs of the frames it sent: scores, and events for the noise frames
        assertThat(r.read()).isGreaterThan(r.sent() / 2);
        assertThat(state.resolve("warm-up-streams")).doesNotExist();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            var topics = admin.describeTopics(Set.of("warm-eos-warm-up", "warm-eos-warm-up-out")).allTopicNames()
                    .get(10, TimeUnit.SECONDS);
            // as many partitions as the line, so that the clients partition as the detector's do
            assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(3));
            var configs = admin.describeConfigs(Set.of(new ConfigResource(ConfigResource.Type.TOPIC, "warm-eos-warm-up")))
                    .all().get(10, TimeUnit.SECONDS).values().iterator().next();
            assertThat(configs.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("60000");
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (String t : Topics.of(c).all()) {
                for (int p = 0; p < 3; p++) {
                    ends.put(new TopicPartition(t, p), OffsetSpec.latest());
                }
            }
            assertThat(admin.listOffsets(ends).all().get(10, TimeUnit.SECONDS).values())
                    .allSatisfy(o -> assertThat(o.offset()).as("records in the line's topics").isZero());
            // it left its group: a detector starting next does not wait for it
            assertThat(admin.describeConsumerGroups(List.of("warm-eos-warm-up")).all().get(10, TimeUnit.SECONDS)
                    .get("warm-eos-warm-up").members()).isEmpty();
        }
    }

    @Test
    void shouldStartTheApplicationASecondTimeOnceTheCompilersSettledAndLeaveItsGroupAfter() throws Exception {
        FrameGuardConfig c = config("warm-twice", "exactly_once_v2");

        // 1,000 frames/s leaves the compilers CPU to settle (45 s here, 77 s offered 5,000)
        var r = BrokerWarmUp.run(c, Topics.of(c), model, PipelineWarmUp.frames(c, Topics.of(c), model), 1_000, 120_000);

        assertThat(r.settled()).isTrue();
        // the second start runs the code a start takes (first requests, the join, the first fetches and
        // transactions) once the rest is compiled, so its deoptimizations are taken here and not on the line
        assertThat(r.starts()).isEqualTo(BrokerWarmUp.STARTS).isEqualTo(2);
        assertThat(r.rounds()).isGreaterThanOrEqualTo(BrokerWarmUp.STARTS * BrokerWarmUp.MIN_ROUNDS);
        assertThat(r.read()).isGreaterThan(r.sent() / 2);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            assertThat(admin.describeConsumerGroups(List.of("warm-twice-warm-up")).all().get(10, TimeUnit.SECONDS)
                    .get("warm-twice-warm-up").members()).isEmpty();
        }
    }

    @Test
    void shouldStartAgainOnWhatItLeftAndWorkAtLeastOnce() {
        FrameGuardConfig c = config("warm-alos", "at_least_once");
        byte[][] frames = PipelineWarmUp.frames(c, Topics.of(c), model);

        var first = BrokerWarmUp.run(c, Topics.of(c), model, frames, BrokerWarmUp.MAX_RATE, 6_000);
        var second = BrokerWarmUp.run(c, Topics.of(c), model, frames, BrokerWarmUp.MAX_RATE, 6_000); // a restart finds topics, changelogs and offsets there

        assertThat(List.of(first, second)).allSatisfy(r -> {
            assertThat(r.sent()).isPositive();
            assertThat(r.read()).isPositive();
        });
        // a cold JVM's first warm-up scores part of what it was sent in its 6 s (a tenth to a half
        // in six runs of this class alone); the restart goes on from the committed offsets and scores the rest
        assertThat(first.read() + second.read()).isGreaterThanOrEqualTo(first.sent());
    }

    @Test
    void shouldOfferNoFasterThanItIsToldSoThatASlowScorerLeavesTheCompilersCpu() {
        FrameGuardConfig c = config("warm-slow", "exactly_once_v2");
        double rate = 300;

        var r = BrokerWarmUp.run(c, Topics.of(c), model, PipelineWarmUp.frames(c, Topics.of(c), model), rate, 6_000);

        // the first burst (a full batch) goes at once; after it, no more than the rate allows
        assertThat(r.sent()).isPositive()
                .isLessThanOrEqualTo((long) (rate * r.millis() / 1000.0) + c.getInt(FrameGuardConfig.BATCH_SIZE));
        assertThat(r.read()).isPositive();
    }

    @Test
    void shouldStopAtItsDeadlineHoweverSlowTheOffer() {
        FrameGuardConfig c = config("warm-slowest", "exactly_once_v2");

        // one frame a second: the first full batch alone is due over four minutes later
        var r = BrokerWarmUp.run(c, Topics.of(c), model, PipelineWarmUp.frames(c, Topics.of(c), model), 1, 3_000);

        assertThat(r.sent()).isPositive();
        assertThat(r.millis()).as("wall time, ms").isLessThan(3_000 + 5_000);
        // not settled by its deadline: no time for a second start
        assertThat(r.settled()).isFalse();
        assertThat(r.starts()).isEqualTo(1);
    }

    @Test
    void shouldDoNothingWhenTurnedOff() throws Exception {
        FrameGuardConfig c = config("warm-off", "exactly_once_v2");

        var r = BrokerWarmUp.run(c, Topics.of(c), model, PipelineWarmUp.frames(c, Topics.of(c), model), BrokerWarmUp.MAX_RATE, 0);

        assertThat(r.sent()).isZero();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).doesNotContain("warm-off-warm-up");
        }
    }
}
