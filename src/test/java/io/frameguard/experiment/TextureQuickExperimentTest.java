package io.frameguard.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.Json;
import io.frameguard.TestData;
import io.frameguard.cli.CliRun;
import io.frameguard.model.inspection.InspectionBundle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code experiment texture --quick} end to end on the real gravel photograph, through the CLI:
 * a small draem model, the defect generator's seven kinds, image AUROC per kind and pixel AUROC in
 * the JSON contract, a report with heat maps, a bundle that loads.
 */
class TextureQuickExperimentTest {
    @TempDir
    Path dir;

    @Test
    void shouldTrainOnGravelAndReportEveryDefectKindAndThePixelAuroc() throws Exception {
        Path json = dir.resolve("t.json");
        CliRun run = CliRun.of("experiment", "texture", "--quick", "--data-dir", TestData.skimage().toString(),
                "--out", dir.toString(), "--json", json.toString(), "--validate-every", "100");
        assertThat(run.exitCode()).as(run.err()).isZero();
        // 300 steps: judged on the validation band after 100 and 200, then once trained
        assertThat(run.out().lines().filter(l -> l.matches("step [0-9]+: validation image AUROC of the segmentation map.*"))
                .map(l -> l.substring(0, l.indexOf(':')))).containsExactly("step 100", "step 200");
        assertThat(run.out()).contains("validation image AUROC of the segmentation map by smoothing:").contains("validation image AUROC of the ssim map by smoothing:").containsPattern("anomaly map: .*; validation pixel AUROC 0\\.\\d{4}")
                .containsPattern("validation image AUROC by defect kind \\((segmentation|ssim) map, \\d+x\\d+\\): brightness \\d\\.\\d{3} crack \\d\\.\\d{3} foreign-texture \\d\\.\\d{3} hole \\d\\.\\d{3} scratch \\d\\.\\d{3} smear \\d\\.\\d{3} spot \\d\\.\\d{3}\\n").contains("train draem on 2,400 patches of 64x64 drawn from 8 normal images (width 8)");
        JsonNode r = Json.MAPPER.readTree(json.toFile());
        JsonNode result = r.has("runs") ? r.get("runs").get(0) : r;
        assertThat(result.get("experiment").asText()).isEqualTo("texture");
        assertThat(result.get("n_normal").asInt()).isEqualTo(40);
        assertThat(result.get("n_anomaly").asInt()).isEqualTo(140);
        JsonNode gravel = r.get("summary").get("gravel");
        assertThat(gravel.get("image_auroc_per_kind").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("scratch", "spot", "crack", "foreign-texture", "hole", "smear", "brightness");
        // a model trained for seconds finds the map's defects better than chance, not yet the frames
        assertThat(gravel.get("pixel_auroc").asDouble()).as(gravel.toString()).isGreaterThan(0.6);
        assertThat(dir.resolve("texture/gravel/report/index.html")).isNotEmptyFile();
        assertThat(InspectionBundle.load(dir.resolve("texture/gravel/model.bundle")).metadata().smoothing()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--channels", "--steps"})
    void shouldRefuseANetworkWidthOrStepsBelowOneInOneLine(String option) {
        CliRun run = CliRun.of("experiment", "texture", "--quick", option, "0", "--data-dir", TestData.skimage().toString(),
                "--out", dir.toString());
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains(option + " must be at least 1, got 0");
    }
}
