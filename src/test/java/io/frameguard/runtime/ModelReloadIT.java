package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.frameguard.TestData;
import io.frameguard.avro.FrameScore;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.threshold.ThresholdStrategy;
import io.frameguard.model.BundleMetadata;
import io.frameguard.model.Calibration;
import io.frameguard.model.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve picks up a bundle atomically replaced at model.path, on a real broker, without a restart. */
class ModelReloadIT {
    static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker(@TempDir Path d) {
        kafka = EmbeddedKafka.start(d);
        DetectorIT.kafka = kafka;
        DetectorIT.test = TestData.mnist(Split.TEST);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    /** The fixture's network under another id, with every calibration score doubled: another model to the detector. */
    static ModelBundle candidate(ModelBundle a) {
        BundleMetadata m = a.metadata();
        double[] doubled = Arrays.stream(m.calibration().scores()).map(s -> 2 * s).toArray();
        return new ModelBundle(a.network(), new BundleMetadata(m.formatVersion(), m.modelId() + "-b", m.spec(), m.preprocessing(),
                m.scoreFunction(), Calibration.of(doubled), m.training(), m.versions(), m.createdAt()));
    }

    @Test
    void shouldPutAnAtomicallyReplacedBundleInForceWithItsOwnCalibrationWithoutARestart() throws Exception {
        Path live = dir.resolve("live.bundle");
        Files.copy(TestData.FIXTURE_BUNDLE, live);
        ModelBundle a = ModelBundle.load(live);
        ModelBundle b = candidate(a);
        DetectorIT it = new DetectorIT();
        it.state = dir;
        FrameGuardConfig c = it.config("it-reload", Map.of("model.path", live.toString(), "model.watch.interval.ms", "200",
                "threshold.strategy", "max"));
        try (Detector d = new Detector(c, a).start()) {
            assertThat(d.awaitRunning(Duration.ofSeconds(60))).isTrue();
            DetectorIT.send(c, List.copyOf(DetectorIT.frames(0, 200)));
            assertThat(DetectorIT.scoresById(c, 200, Duration.ofSeconds(60)).values()).extracting(FrameScore::getModelId)
                    .containsOnly(a.modelId());

            Path next = dir.resolve("next.bundle.tmp");
            b.save(next);
            Files.move(next, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!b.modelId().equals(d.modelId()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(d.modelId()).as("in force without a restart").isEqualTo(b.modelId());

            DetectorIT.send(c, List.copyOf(DetectorIT.frames(200, 200)));
            Map<String, FrameScore> all = DetectorIT.scoresById(c, 400, Duration.ofSeconds(60));
            assertThat(all).hasSize(400);
            double warmB = ThresholdStrategy.of("max", null).threshold(b.metadata().calibration().scores());
            for (String source : List.of("line-1", "line-2")) {
                List<FrameScore> after = all.values().stream()
                        .filter(s -> s.getSourceId().equals(source) && Integer.parseInt(s.getFrameId().substring(1)) >= 200)
                        .sorted(java.util.Comparator.comparingInt(s -> Integer.parseInt(s.getFrameId().substring(1)))).toList();
                assertThat(after).extracting(FrameScore::getModelId).containsOnly(b.modelId());
                assertThat(after.get(0).getThreshold()).as("%s starts from b's calibration", source).isCloseTo(warmB, within(1e-9));
            }
            assertThat(d.thresholds()).containsKeys("line-1", "line-2", "line-1@" + a.modelId());
            assertThat(d.metrics().framesScored()).isEqualTo(400);
        }
    }
}
