package io.frameguard.data.synth;

import io.frameguard.data.LabelledRasters;
import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.data.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextureDatasetTest {
    private static final Pattern POSITION = Pattern.compile("_x(\\d+)_y(\\d+)(_mask)?\\.png$");

    @TempDir
    Path dir;

    private final Raster gravelLike = TestTextures.surface(512, 512, 1, 11);
    private final List<Raster> foreign = List.of(TestTextures.surface(200, 200, 1, 12));

    @Test
    void shouldCutTrainValidationAndTestFromBandsThatDoNotOverlap() throws IOException {
        Path out = TextureDataset.write(gravelLike, foreign, dir.resolve("texture-test"), 64, 2, 3, 5);
        for (Path f : files(out.resolve("train"))) {
            int[] xy = position(f);
            assertThat(xy[1] + 128).as(f.toString()).isLessThanOrEqualTo(256);
        }
        for (Path f : files(out.resolve("validation"))) {
            int[] xy = position(f);
            assertThat(xy[1]).as(f.toString()).isGreaterThanOrEqualTo(256);
            assertThat(xy[1] + 64).as(f.toString()).isLessThanOrEqualTo(358);
        }
        for (Path f : files(out.resolve("test"))) {
            int[] xy = position(f);
            assertThat(xy[1]).as(f.toString()).isGreaterThanOrEqualTo(358);
            assertThat(xy[1] + 64).as(f.toString()).isLessThanOrEqualTo(512);
        }
    }

    @Test
    void shouldWriteEightTrainTilesAndTheRequestedCountsPerKind() throws IOException {
        Path out = TextureDataset.write(gravelLike, foreign, dir.resolve("texture-test"), 64, 2, 3, 5);
        List<Raster> train = TextureDataset.readTrain(out);
        assertThat(train).hasSize(8).allSatisfy(t -> assertThat(t.width()).isEqualTo(128));
        for (String split : List.of("validation", "test")) {
            LabelledRasters set = TextureDataset.read(out.resolve(split));
            Map<String, Integer> counts = new TreeMap<>();
            set.labels().forEach(l -> counts.merge(l, 1, Integer::sum));
            assertThat(counts).containsEntry("good", 3).hasSize(1 + DefectKind.values().length);
            DefectKind.names().forEach(k -> assertThat(counts).containsEntry(k, 2));
            for (int i = 0; i < set.size(); i++) {
                boolean good = set.labels().get(i).equals("good");
                assertThat(set.images().get(i).width()).isEqualTo(64);
                if (good) {
                    assertThat(set.masks().get(i)).isNull();
                } else {
                    assertThat(set.masks().get(i).channels()).isEqualTo(1);
                    assertThat(sum(set.masks().get(i))).as("mask area").isBetween(0.005 * 4096, 0.06 * 4096);
                }
            }
        }
    }

    @Test
    void shouldWriteTheSameBytesForTheSameSeed() throws IOException {
        Path a = TextureDataset.write(gravelLike, foreign, dir.resolve("a"), 64, 1, 1, 9);
        Path b = TextureDataset.write(gravelLike, foreign, dir.resolve("b"), 64, 1, 1, 9);
        Path c = TextureDataset.write(gravelLike, foreign, dir.resolve("c"), 64, 1, 1, 10);
        List<Path> filesA = files(a).stream().map(a::relativize).toList();
        assertThat(files(b).stream().map(b::relativize).toList()).isEqualTo(filesA);
        for (Path f : filesA) {
            assertThat(Files.readAllBytes(b.resolve(f))).as(f.toString()).isEqualTo(Files.readAllBytes(a.resolve(f)));
        }
        assertThat(files(c).stream().map(c::relativize).toList()).isNotEqualTo(filesA);
    }

    @Test
    void shouldCountADatasetOfAnOlderDefectGeneratorAsOutOfDate() throws IOException {
        Path out = TextureDataset.write(gravelLike, foreign, dir.resolve("texture-test"), 64, 1, 1, 5);
        assertThat(TextureDataset.isCurrent(out)).isTrue();
        Path marker = out.resolve(TextureDataset.COMPLETE_MARKER);
        Files.writeString(marker, Files.readString(marker).replace("generator=" + TextureDataset.GENERATOR + "\n", ""));
        assertThat(TextureDataset.isCurrent(out)).as("a marker without the generator's version").isFalse();
    }

    @Test
    void shouldKeepAnRgbSourceInColour() {
        Path out = TextureDataset.write(TestTextures.surface(256, 320, 3, 4), foreign, dir.resolve("rgb"), 32, 1, 1, 3);
        assertThat(TextureDataset.readTrain(out)).hasSize(8).allSatisfy(t -> assertThat(t.channels()).isEqualTo(3));
        LabelledRasters test = TextureDataset.read(out.resolve("test"));
        assertThat(test.images()).allSatisfy(r -> assertThat(r.channels()).isEqualTo(3));
    }

    private static double sum(Raster r) {
        double s = 0;
        for (float v : r.pixels()) {
            s += v;
        }
        return s;
    }

    private static int[] position(Path f) {
        Matcher m = POSITION.matcher(f.getFileName().toString());
        assertThat(m.find()).as("position in the name of " + f).isTrue();
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".png")).sorted().toList();
        }
    }
}
