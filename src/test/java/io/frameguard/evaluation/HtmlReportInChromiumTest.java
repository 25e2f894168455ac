package io.frameguard.evaluation;

import io.frameguard.threshold.ThresholdStrategy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.frameguard.TestData;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.Scorer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Looks at an {@code evaluate} report as a person would: headless Chromium (Debian package
 * {@code chromium}) opens it, and every picture on the page must have loaded. The screenshot stays in
 * {@code target/report-in-chromium/} to be looked at.
 */
class HtmlReportInChromiumTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path OUT = Path.of("target/report-in-chromium").toAbsolutePath();
    /** Run after the page's load event: each picture's natural width, where --dump-dom prints it. */
    private static final String PROBE = """
            <script>window.addEventListener('load', () => {
              const p = document.createElement('pre'); p.id = 'probe';
              p.textContent = [...document.images].map(i => 'IMG ' + i.getAttribute('src') + ' ' + i.naturalWidth).join('\\n');
              document.body.appendChild(p);
            });</script>
            """;

    @Test
    void shouldShowEveryPictureOfAnEvaluateReportInChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "needs headless Chromium at " + CHROMIUM
                + " (apt-get install chromium); .ci/run installs it");
        Path report = writeEvaluateReport(OUT.resolve("report"));
        String html = Files.readString(report);
        List<String> sources = matches(Pattern.compile("<img src=\"([^\"]+)\""), html);
        assertThat(sources).contains("distributions.png", "roc.png", "flagged.png", "worst-normal.png", "figure-1.png");

        Path probe = report.resolveSibling("probe.html");
        Files.writeString(probe, html.replace("</body>", PROBE + "</body>"));
        String dom = chromium("--dump-dom", probe.toUri().toString());
        List<String> loaded = matches(Pattern.compile("IMG (\\S+) ([1-9][0-9]*)"), dom);
        assertThat(loaded).as("pictures with a natural width > 0 in Chromium; DOM:%n%s", dom)
                .containsExactlyInAnyOrderElementsOf(sources);

        Path screenshot = OUT.resolve("evaluate-report.png");
        Files.deleteIfExists(screenshot);
        chromium("--screenshot=" + screenshot, "--window-size=1200,3000", report.toUri().toString());
        BufferedImage shot = ImageIO.read(screenshot.toFile());
        assertThat(shot.getWidth()).isEqualTo(1200);
        assertThat(shot.getHeight()).isEqualTo(3000);
    }

    /** What {@code evaluate --report} writes for the version-1 fixture on 2,000 MNIST test images, and one extra figure. */
    private static Path writeEvaluateReport(Path dir) {
        ModelBundle bundle = ModelBundle.load(TestData.FIXTURE_BUNDLE);
        Scorer scorer = new Scorer(bundle);
        ImageSet test = TestData.mnist(Split.TEST).head(2000);
        LabelledScores scored = LabelledScores.of(test.labels(), scorer.scoreAll(test, 256), List.of("1"));
        ThresholdStrategy strategy = new ThresholdStrategy.Quantile(0.99);
        EvaluationResult result = Evaluator.evaluate(bundle.modelId(), "mnist/test", List.of("1"), scored, strategy.name(),
                strategy.threshold(bundle.metadata().calibration().scores()), new EvaluationResult.Timings(null, null));
        BufferedImage extra = HeatMaps.overlay(io.frameguard.data.Raster.ofBytes(test.pixels(), 0, 28, 28, 1),
                new float[28 * 28], 28, 28, List.of(new java.awt.Rectangle(4, 4, 10, 10)), 4);
        return HtmlReport.write(dir, "evaluate " + bundle.modelId(), result, scored, test, scorer,
                List.of(new HtmlReport.Figure("An extra figure", "added by the caller", extra)));
    }

    private static String chromium(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--disable-gpu", "--no-sandbox",
                "--hide-scrollbars", "--virtual-time-budget=5000"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("chromium", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).as("chromium exit code; stderr:%n%s", Files.readString(log)).isZero();
        return out;
    }

    private static List<String> matches(Pattern pattern, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
