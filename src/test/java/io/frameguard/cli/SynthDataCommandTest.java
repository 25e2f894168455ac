package io.frameguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.data.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthDataCommandTest {
    @TempDir
    Path dir;

    @BeforeEach
    void twoNormalImages() {
        noise(80, 60, 1, 1).writePng(dir.resolve("normal/a.png"));
        noise(96, 96, 3, 2).writePng(dir.resolve("normal/sub/b.png"));
    }

    @Test
    void shouldWriteTheRequestedCountsOfEachKindWithMasks() throws IOException {
        Path out = dir.resolve("out");
        CliRun run = CliRun.of("data", "synth", "--normal", dir.resolve("normal").toString(), "--out", out.toString(),
                "--per-kind", "3", "--good", "4", "--size", "48", "--seed", "1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(count(out.resolve("good"))).isEqualTo(4);
        for (String kind : io.frameguard.data.synth.DefectKind.names()) {
            assertThat(count(out.resolve(kind))).as(kind).isEqualTo(3);
            assertThat(count(out.resolve("ground_truth").resolve(kind))).as(kind + " masks").isEqualTo(3);
            assertThat(run.out()).containsPattern("(?m)^" + kind + " +3 \\(\\+ 3 masks in ground_truth/" + kind
                    + "\\); change under the mask: median 0\\.\\d{3}, \\d+\\.\\d{2}x the local contrast; \\d+% under 0\\.5x$");
        }
        assertThat(run.out()).contains("wrote 25 images to " + out + " from 2 normal image(s)");
        assertThat(Raster.read(out.resolve("scratch/scratch_000.png"), 0).width()).isEqualTo(48);
    }

    @Test
    void shouldWriteOnlyTheChosenKindsAtTheImagesOwnSize() throws IOException {
        Path out = dir.resolve("out");
        CliRun run = CliRun.of("data", "synth", "--normal", dir.resolve("normal").toString(), "--out", out.toString(),
                "--kinds", "hole,smear", "--per-kind", "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        try (Stream<Path> folders = Files.list(out)) {
            assertThat(folders.map(p -> p.getFileName().toString()).sorted()).containsExactly("good", "ground_truth", "hole", "smear");
        }
        assertThat(count(out.resolve("good"))).isEqualTo(4);
        Raster first = Raster.read(out.resolve("hole/hole_000.png"), 0);
        assertThat(first.width() * first.height()).isIn(80 * 60, 96 * 96);
    }

    @Test
    void shouldSayWhichKindIsUnknownInOneLine() {
        CliRun run = CliRun.of("data", "synth", "--normal", dir.resolve("normal").toString(), "--out",
                dir.resolve("out").toString(), "--kinds", "scratch,dent");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("unknown defect kind 'dent'; known: scratch, spot").hasLineCount(1);
    }

    @Test
    void shouldRefuseCropsLargerThanTheImages() {
        CliRun run = CliRun.of("data", "synth", "--normal", dir.resolve("normal").toString(), "--out",
                dir.resolve("out").toString(), "--size", "90");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("is 80x60, smaller than --size 90x90").hasLineCount(1);
    }

    private static Raster noise(int w, int h, int channels, long seed) {
        Random random = new Random(seed);
        Raster r = Raster.blank(w, h, channels);
        for (int i = 0; i < r.pixels().length; i++) {
            r.pixels()[i] = (float) Math.max(0, Math.min(1, 0.5 + 0.2 * random.nextGaussian()));
        }
        return r;
    }

    private static long count(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".png")).count();
        }
    }
}
