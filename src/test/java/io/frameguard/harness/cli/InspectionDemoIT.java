package io.frameguard.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.TestData;
import io.frameguard.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --scene inspection} end to end on its own embedded broker, with a model of a few
 * training steps (trained by the demo, as on a first run) and a few dozen frames: every frame is
 * scored exactly once, alerts print regions inside the 256×256 frames, and the report is written.
 */
class InspectionDemoIT {
    private static final Pattern BOX = Pattern.compile("x=(\\d+) y=(\\d+) (\\d+)x(\\d+)");

    @Test
    void shouldStreamGravelFramesThroughTheLiveDetectorAndReportFlaggedFramesWithRegions(@TempDir Path dir) {
        Path model = dir.resolve("draem-quick.bundle");
        CliRun run = CliRun.of("demo", "--scene", "inspection", "--data-dir", TestData.skimage().toString(),
                "--model", model.toString(), "--steps", "40", "--frames", "36", "--rate", "36",
                "--anomaly-rate", "0.5", "--false-alarm-budget", "0.5", "--work-dir", dir.resolve("demo").toString());
        System.out.println(run.out());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(model).exists();
        assertThat(run.out()).contains("36 frames produced, 36 scored (exactly once: true)")
                .containsPattern("(\\d+) anomaly events for \\1 flagged frames");
        List<String> alerts = run.out().lines().filter(l -> l.startsWith("ALERT ")).toList();
        assertThat(alerts).isNotEmpty().allSatisfy(a -> {
            assertThat(a).contains("regions [");
            Matcher m = BOX.matcher(a.substring(a.indexOf("regions [")));
            while (m.find()) {
                int x = Integer.parseInt(m.group(1));
                int y = Integer.parseInt(m.group(2));
                assertThat(x + Integer.parseInt(m.group(3))).as(a).isLessThanOrEqualTo(256);
                assertThat(y + Integer.parseInt(m.group(4))).as(a).isLessThanOrEqualTo(256);
            }
        });
        Path report = dir.resolve("demo/report");
        assertThat(report.resolve("index.html")).exists().content().contains("Flagged frames");
        assertThat(report.resolve("figure-1.png")).exists();
        assertThat(Files.isRegularFile(report.resolve("roc.png"))).isTrue();
    }
}
