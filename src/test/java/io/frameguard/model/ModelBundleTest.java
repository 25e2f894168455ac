package io.frameguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.FrameGuardException;
import io.frameguard.Json;
import io.frameguard.TestData;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.training.Trainer;
import io.frameguard.training.TrainingOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
    static final Path FIXTURE = TestData.FIXTURE_BUNDLE;
    static final Path FIXTURE_SCORES = Path.of("src/test/resources/fixtures/shallow-v1.scores.json");

    @TempDir
    Path dir;

    @Test
    void shouldRestoreIdenticalScoresAndMetadataAfterSaveAndLoad() {
        ImageSet ones = TestData.mnist(Split.TRAIN).filter("1"::equals).head(300);
        ModelBundle bundle = new Trainer(new PrintWriter(new StringWriter()))
                .train(ModelSpec.defaults(ModelFamily.DENSE), new TrainingOptions(1, 64, 0.2, 1, false), ones, "mnist",
                        List.of("1"));
        Path file = dir.resolve("m.bundle");
        bundle.save(file);
        ModelBundle loaded = ModelBundle.load(file);

        ImageSet test = TestData.mnist(Split.TEST).head(20);
        assertThat(new Scorer(loaded).scoreAll(test, 8)).containsExactly(new Scorer(bundle).scoreAll(test, 8));
        assertThat(loaded.modelId()).isEqualTo(bundle.modelId());
        assertThat(loaded.metadata().calibration().scores()).containsExactly(bundle.metadata().calibration().scores());
        assertThat(loaded.metadata().training().dataSha256()).hasSize(64);
        assertThat(loaded.metadata().training().normalLabels()).containsExactly("1");
        assertThat(loaded.spec().family()).isEqualTo(ModelFamily.DENSE);
    }

    @Test
    void shouldBuildTrainAndKeepADropoutSpecAcrossSaveAndLoad() {
        ModelSpec spec = ModelSpec.defaults(ModelFamily.DENSE).withDropout(0.1);
        ImageSet ones = TestData.mnist(Split.TRAIN).filter("1"::equals).head(300);
        ModelBundle bundle = new Trainer(new PrintWriter(new StringWriter()))
                .train(spec, new TrainingOptions(1, 64, 0.2, 1, false, 2), ones, "mnist", List.of("1"));
        // every hidden layer drops its inputs, the reconstruction layer does not; DL4J takes the keep probability
        var layers = bundle.network().getLayerWiseConfigurations().getConfs();
        for (int i = 0; i < 5; i++) {
            assertThat(layers.get(i).getLayer().getIDropout()).as("layer %d", i)
                    .isEqualTo(new org.deeplearning4j.nn.conf.dropout.Dropout(0.9));
        }
        assertThat(layers.get(5).getLayer().getIDropout()).isNull();
        ModelBundle plain = new Trainer(new PrintWriter(new StringWriter())).train(ModelSpec.defaults(ModelFamily.DENSE),
                new TrainingOptions(1, 64, 0.2, 1, false, 2), ones, "mnist", List.of("1"));
        assertThat(bundle.network().params().equalsWithEps(plain.network().params(), 1e-6))
                .as("same seed, same start: only the dropped inputs make the trained weights differ").isFalse();

        Path file = dir.resolve("dropout.bundle");
        bundle.save(file);
        ModelBundle loaded = ModelBundle.load(file);
        assertThat(loaded.spec().dropout()).isEqualTo(0.1);
        ImageSet test = TestData.mnist(Split.TEST).head(20);
        double[] scores = new Scorer(loaded).scoreAll(test, 8);
        assertThat(scores).as("inference does not drop: the same scores twice").containsExactly(
                new Scorer(loaded).scoreAll(test, 8)).containsExactly(new Scorer(bundle).scoreAll(test, 8));
    }

    @Test
    void shouldRefuseDropoutOutsideTheDenseFamilies() {
        assertThatThrownBy(() -> ModelSpec.defaults(ModelFamily.CONV).withDropout(0.1))
                .isInstanceOf(FrameGuardException.class)
                .hasMessage("dropout applies to the dense and shallow families, not conv");
        assertThatThrownBy(() -> ModelSpec.defaults(ModelFamily.DENSE).withDropout(1))
                .isInstanceOf(FrameGuardException.class).hasMessage("dropout must be in [0, 1), got 1.0");
    }

    @Test
    void shouldLeaveNoTemporaryFilesBehind() throws IOException {
        ModelBundle.load(FIXTURE).save(dir.resolve("copy.bundle"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("copy.bundle");
        }
    }

    /** The committed v1 bundle must keep loading and scoring exactly as when it was written. */
    @Test
    void shouldKeepLoadingTheVersionOneFixtureWithItsRecordedScores() throws IOException {
        ModelBundle fixture = ModelBundle.load(FIXTURE);
        JsonNode expected = Json.MAPPER.readTree(FIXTURE_SCORES.toFile());
        assertThat(fixture.metadata().formatVersion()).isEqualTo(1);
        assertThat(fixture.modelId()).isEqualTo(expected.get("model_id").asText());
        assertThat(fixture.spec().dropout()).as("written before the spec had dropout").isZero();
        ImageSet test = TestData.mnist(Split.TEST).head(expected.get("scores").size());
        double[] scores = new Scorer(fixture).scoreAll(test, 256);
        for (int i = 0; i < scores.length; i++) {
            assertThat(scores[i]).isCloseTo(expected.get("scores").get(i).asDouble(), within(1e-6));
        }
    }

    @Test
    void shouldRejectAFileThatIsNotABundle() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.bundle"), "hello");
        assertThatThrownBy(() -> ModelBundle.load(text)).isInstanceOf(FrameGuardException.class)
                .hasMessage(text + " is not a FrameGuard model bundle: it is not a zip archive");
    }

    @Test
    void shouldRejectAZipWithoutNetwork() throws IOException {
        Path zip = dir.resolve("half.bundle");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("frameguard-bundle.json"));
            try (InputStream in = Files.newInputStream(FIXTURE_SCORES)) {
                in.transferTo(z);
            }
        }
        assertThatThrownBy(() -> ModelBundle.load(zip)).hasMessageContaining("lacks network.dl4j.zip");
    }

    @Test
    void shouldSayHowToGetABundleWhenTheFileIsMissing() {
        assertThatThrownBy(() -> ModelBundle.load(dir.resolve("none.bundle")))
                .hasMessageContaining("does not exist").hasMessageContaining("frameguard train");
    }
}
