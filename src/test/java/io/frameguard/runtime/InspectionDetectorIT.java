package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.frameguard.TestData;
import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.BoundingBox;
import io.frameguard.avro.Encoding;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.data.ImageFiles;
import io.frameguard.data.Raster;
import io.frameguard.data.SkimagePhotos;
import io.frameguard.data.synth.DefectGenerator;
import io.frameguard.data.synth.DefectKind;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.model.inspection.InspectionScorer;
import io.frameguard.stream.DeadLetter;
import io.frameguard.stream.Topics;
import io.frameguard.training.inspection.InspectionTrainer;
import io.frameguard.training.inspection.InspectionTraining;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An inspection model in the detector on a real embedded KRaft broker: 256×256 frames of a real
 * photographed surface (scikit-image's gravel), some with synthetic defects, as RAW_U8 and PNG. The
 * stream's scores equal the offline scorer's, events carry regions in frame coordinates, and a frame
 * smaller than the tile is dead-lettered.
 */
class InspectionDetectorIT {
    static EmbeddedKafka kafka;
    static InspectionBundle bundle;
    static Path model;
    static Raster gravel;

    @TempDir
    Path state;

    @BeforeAll
    static void trainAndStart(@TempDir Path dir) {
        gravel = SkimagePhotos.read(TestData.skimage(), "gravel");
        List<Raster> top = List.of(gravel.crop(0, 0, 256, 128), gravel.crop(256, 0, 256, 128), gravel.crop(0, 128, 256, 128));
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        bundle = InspectionTraining.run(top, 1, InspectionTrainer.Options.quick(), "gravel-top",
                InspectionTraining.syntheticValidation(List.of(gravel.crop(256, 128, 256, 128)), 64, 3, 7), quiet);
        model = dir.resolve("draem.bundle");
        bundle.save(model);
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    FrameGuardConfig config(String app) {
        Map<String, String> m = new HashMap<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(), "application.id", app, "model.path", model.toString(),
                "topic.frames", app + "-frames", "topic.scores", app + "-scores", "topic.anomalies", app + "-anomalies",
                "topic.dlq", app + "-dlq", "state.dir", state.toString(), "http.port", "-1"));
        m.put("batch.size", "8");
        m.put("linger.ms", "50");
        m.put("threshold.strategy", "quantile");
        // low: the quick model is a smoke test of the path, not of quality; some frames must be flagged
        m.put("threshold.param", "0.1");
        FrameGuardConfig c = FrameGuardConfig.load(null, Map.of(), m);
        kafka.createTopics(Topics.of(c).all(), 2);
        return c;
    }

    static ImageFrame frame(String id, Raster r, boolean png) {
        byte[] px = png ? ImageFiles.png(r.toBytes(), r.width(), r.height()) : r.toBytes();
        return ImageFrame.newBuilder().setFrameId(id).setSourceId("cam-" + (id.hashCode() & 1)).setCaptureTime(Instant.now())
                .setWidth(r.width()).setHeight(r.height()).setChannels(1).setEncoding(png ? Encoding.PNG : Encoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(px)).build();
    }

    @Test
    void shouldScoreCameraSizedFramesAsOfflineAndGiveEventsRegionsInFrameCoordinates() throws Exception {
        FrameGuardConfig c = config("it-inspect");
        Random random = new Random(3);
        DefectGenerator defects = new DefectGenerator(List.of());
        List<Raster> rasters = new ArrayList<>();
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            Raster r = gravel.crop(random.nextInt(257), 256, 256, 256);
            if (i % 3 == 0) {
                r = defects.apply(r, DefectKind.values()[i / 3 % DefectKind.values().length], random).image();
            }
            // quantised as a camera sends it, so that offline and stream see the same bytes
            r = Raster.ofBytes(r.toBytes(), 0, 256, 256, 1);
            rasters.add(r);
            records.add(frame("f" + i, r, i % 4 == 1));
        }
        records.add(frame("tiny", gravel.crop(0, 0, 32, 32), false));
        DetectorIT.send(c, records);
        try (Detector d = Detector.forModelPath(c).start()) {
            Map<String, FrameScore> byId = DetectorIT.scoresById(c, 24, Duration.ofSeconds(120));
            assertThat(byId).hasSize(24);
            List<InspectionScorer.Judgement> offline = bundle.scorer(8).score(rasters);
            for (int i = 0; i < 24; i++) {
                assertThat(byId.get("f" + i).getScore()).as("f" + i).isCloseTo(offline.get(i).score(), within(1e-5));
                assertThat(byId.get("f" + i).getModelId()).isEqualTo(bundle.metadata().modelId());
            }
            Topics t = Topics.of(c);
            long flagged = byId.values().stream().filter(FrameScore::getIsAnomaly).count();
            assertThat(flagged).isPositive();
            List<AnomalyEvent> events = KafkaTopics.readAll(kafka.bootstrapServers(), t.anomalies(), (int) flagged,
                    Duration.ofSeconds(30)).stream().map(r -> t.anomalySerde().deserializer().deserialize(t.anomalies(), r.value())).toList();
            assertThat(events).hasSize((int) flagged).allSatisfy(e -> {
                assertThat(e.getFrameWidth()).isEqualTo(256);
                assertThat(e.getFrameHeight()).isEqualTo(256);
                assertThat(e.getRegions()).isNotEmpty();
                for (BoundingBox b : e.getRegions()) {
                    assertThat(b.getX() + b.getWidth()).isLessThanOrEqualTo(256);
                    assertThat(b.getY() + b.getHeight()).isLessThanOrEqualTo(256);
                }
            });
            var dead = KafkaTopics.readUntil(kafka.bootstrapServers(), t.deadLetters(), r -> !r.isEmpty(), Duration.ofSeconds(20));
            assertThat(dead).extracting(r -> DeadLetter.header(r.headers(), DeadLetter.REASON))
                    .containsExactly("frame tiny from cam-" + ("tiny".hashCode() & 1) + " is 32x32, smaller than the model's 64x64 tile");
        }
    }
}
