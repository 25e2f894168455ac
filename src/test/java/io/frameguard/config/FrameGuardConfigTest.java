package io.frameguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameguard.FrameGuardException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameGuardConfigTest {
    @TempDir
    Path dir;

    @Test
    void shouldLayerDefaultsFileEnvironmentAndFlagsInThatOrder() throws IOException {
        Path file = Files.writeString(dir.resolve("f.properties"), "batch.size=64\nlinger.ms=5\nthreshold.strategy=max\n");
        FrameGuardConfig c = FrameGuardConfig.load(file, Map.of("FRAMEGUARD_LINGER_MS", "7", "FRAMEGUARD_HOME", "/x",
                "PATH", "/bin"), Map.of("threshold.strategy", "quantile"));
        assertThat(c.getInt(FrameGuardConfig.BATCH_SIZE)).isEqualTo(64);
        assertThat(c.getLong(FrameGuardConfig.LINGER_MS)).isEqualTo(7);
        assertThat(c.getString(FrameGuardConfig.THRESHOLD_STRATEGY)).isEqualTo("quantile");
        assertThat(c.getString(FrameGuardConfig.PROCESSING_GUARANTEE)).isEqualTo("exactly_once_v2");
    }

    @Test
    void shouldNameTheKeyOfABadValue() {
        assertThatThrownBy(() -> FrameGuardConfig.load(null, Map.of(), Map.of("batch.size", "0")))
                .isInstanceOf(FrameGuardException.class).hasMessageContaining("batch.size");
        assertThatThrownBy(() -> FrameGuardConfig.load(null, Map.of(), Map.of("processing.guarantee", "maybe")))
                .hasMessageContaining("processing.guarantee");
        assertThatThrownBy(() -> FrameGuardConfig.load(null, Map.of(), Map.of("linger.ms", "soon")))
                .hasMessageContaining("linger.ms");
    }

    @Test
    void shouldRejectUnknownKeysButPassKafkaPrefixedOnesToClients() {
        assertThatThrownBy(() -> FrameGuardConfig.load(null, Map.of(), Map.of("batch.sise", "3")))
                .hasMessageContaining("unknown config key 'batch.sise'");
        FrameGuardConfig c = FrameGuardConfig.load(null, Map.of(), Map.of("kafka.security.protocol", "SASL_SSL"));
        assertThat(c.streamsProperties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(c.clientProperties()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldIgnoreUnknownEnvironmentVariablesWhenKubernetesInjectsThemForAService() {
        Map<String, String> env = Map.of("FRAMEGUARD_SERVICE_HOST", "10.0.0.7", "FRAMEGUARD_SERVICE_PORT", "8080",
                "FRAMEGUARD_PORT", "tcp://10.0.0.7:8080", "FRAMEGUARD_PORT_8080_TCP_PROTO", "tcp",
                "FRAMEGUARD_BATCH_SIZE", "32", "FRAMEGUARD_KAFKA_CLIENT_ID", "cam", "FRAMEGUARD_HOME", "/app",
                "FRAMEGUARD_DL4J_PLAIN", "true");
        FrameGuardConfig c = FrameGuardConfig.load(null, env, Map.of());
        assertThat(c.getInt(FrameGuardConfig.BATCH_SIZE)).isEqualTo(32);
        assertThat(c.clientProperties()).containsEntry("client.id", "cam");
        assertThat(FrameGuardConfig.ignoredEnvironment(env)).containsExactly("FRAMEGUARD_PORT",
                "FRAMEGUARD_PORT_8080_TCP_PROTO", "FRAMEGUARD_SERVICE_HOST", "FRAMEGUARD_SERVICE_PORT");
    }

    @Test
    void shouldRejectUnknownKeysInFilesAndFlagsWhenTheEnvironmentWouldBeIgnored() throws IOException {
        Path file = Files.writeString(dir.resolve("f.properties"), "service.host=10.0.0.7\n");
        assertThatThrownBy(() -> FrameGuardConfig.load(file, Map.of(), Map.of()))
                .hasMessageContaining("unknown config key 'service.host'");
        assertThatThrownBy(() -> FrameGuardConfig.load(null, Map.of(), Map.of("service.port", "8080")))
                .hasMessageContaining("unknown config key 'service.port'");
    }

    @Test
    void shouldNeverLetAnIdleStreamThreadBlockPastLingerOrTheCommitInterval() {
        assertThat(FrameGuardConfig.load(null, Map.of(), Map.of("linger.ms", "20")).streamsProperties())
                .containsEntry("poll.ms", 20L);
        assertThat(FrameGuardConfig.load(null, Map.of(), Map.of("linger.ms", "50", "commit.interval.ms", "30"))
                .streamsProperties()).containsEntry("poll.ms", 30L);
        assertThat(FrameGuardConfig.load(null, Map.of(), Map.of("linger.ms", "500", "commit.interval.ms", "1000"))
                .streamsProperties()).containsEntry("poll.ms", 100L);
    }

    /**
     * Unset, the commit interval is Kafka Streams' own default for the guarantee: under
     * at_least_once each commit waits for every send to be acknowledged, and nothing a consumer sees
     * depends on it. A value set is kept under either guarantee, and a value below 1 is refused.
     */
    @Test
    void shouldCommitOnKafkaStreamsDefaultForTheGuaranteeUnlessTheIntervalIsSet() {
        assertThat(FrameGuardConfig.load(null, Map.of(), Map.of()).streamsProperties())
                .containsEntry("commit.interval.ms", 100L);
        assertThat(FrameGuardConfig.load(null, Map.of(), Map.of("processing.guarantee", "at_least_once")).streamsProperties())
                .containsEntry("commit.interval.ms", 30_000L).containsEntry("poll.ms", 10L);
        assertThat(FrameGuardConfig.load(null, Map.of(), Map.of("processing.guarantee", "at_least_once",
                "commit.interval.ms", "100")).streamsProperties()).containsEntry("commit.interval.ms", 100L);
        assertThat(FrameGuardConfig.load(null, Map.of(), Map.of("commit.interval.ms", "2000")).streamsProperties())
                .containsEntry("commit.interval.ms", 2000L);
        assertThatThrownBy(() -> FrameGuardConfig.load(null, Map.of(), Map.of("commit.interval.ms", "0")))
                .hasMessageContaining("must be at least 1, or unset");
    }

    /** A lingered batch commits at once when its frames are fresher than the next commit (eos) or than 100 ms (alos). */
    @Test
    void shouldCommitALingeredBatchOfFreshFramesAtOnceOnlyWhenTheLineIsLive() {
        assertThat(load(Map.of()).commitAfterLingerMs()).isEqualTo(100);
        assertThat(load(Map.of("commit.interval.ms", "2000")).commitAfterLingerMs()).isEqualTo(2000);
        assertThat(load(Map.of("processing.guarantee", "at_least_once")).commitAfterLingerMs()).isEqualTo(100);
        assertThat(load(Map.of("processing.guarantee", "at_least_once", "commit.interval.ms", "50")).commitAfterLingerMs())
                .isEqualTo(50);
        assertThat(load(Map.of("commit.after.linger", "false")).commitAfterLingerMs()).isEqualTo(-1);
    }

    private static FrameGuardConfig load(Map<String, String> flags) {
        return FrameGuardConfig.load(null, Map.of(), flags);
    }

    /**
     * Kafka Streams' partition assignor builds a StreamsConfig from the main consumer's configs and
     * warned at every stream thread's start unless they carry the global handler setting as well.
     */
    @Test
    void shouldOptInToTheGlobalProcessingHandlerForStreamsAndForTheAssignor() {
        var props = FrameGuardConfig.load(null, Map.of(), Map.of()).streamsProperties();
        assertThat(new org.apache.kafka.streams.StreamsConfig(props).getMainConsumerConfigs("g", "c", 0))
                .containsEntry("processing.exception.handler.global.enabled", true);
    }

    @Test
    void shouldResolveAutomaticScoringThreadsFromTheCoresAndTheStreamThreads() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(FrameGuardConfig.load(null, Map.of(), Map.of()).scoringThreads()).isEqualTo(cores);
        assertThat(FrameGuardConfig.load(null, Map.of(), Map.of("num.stream.threads", String.valueOf(cores * 2)))
                .scoringThreads()).isEqualTo(1);
        assertThat(FrameGuardConfig.load(null, Map.of(), Map.of("scoring.threads", "3")).scoringThreads()).isEqualTo(3);
    }

    @Test
    void shouldRequireAValueForTheFixedStrategyAndAModelForServing() {
        assertThatThrownBy(() -> FrameGuardConfig.load(null, Map.of(), Map.of("threshold.strategy", "fixed")))
                .hasMessageContaining("threshold.param");
        assertThatThrownBy(() -> FrameGuardConfig.load(null, Map.of(), Map.of()).modelPath())
                .hasMessageContaining("model.path");
    }

    @Test
    void referenceDocShouldCarryTheGeneratedConfigurationReference() throws IOException {
        assertThat(Files.readString(Path.of("docs/reference.md"))).contains(FrameGuardConfig.markdownReference());
    }

    @Test
    void shippedDefaultsFileShouldLoadAndMatchTheDefinitions() {
        FrameGuardConfig c = FrameGuardConfig.load(Path.of("config/frameguard.properties"), Map.of(), Map.of());
        assertThat(c.getInt(FrameGuardConfig.BATCH_SIZE)).isEqualTo(256);
    }
}
