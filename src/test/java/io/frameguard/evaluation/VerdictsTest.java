package io.frameguard.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Verdicts paired with labels: the evaluation replay reports and the comparison of two models. */
class VerdictsTest {
    // f3 has no label; f1 and f4 are anomalies (label 7), f2 and f5 normal
    private final Verdicts a = new Verdicts(new String[] {"f1", "f2", "f3", "f4", "f5"},
            new String[] {"7", "1", null, "7", "1"}, new double[] {0.9, 0.2, 0.8, 0.3, 0.6},
            new double[] {0.5, 0.5, 0.5, 0.4, 0.4}, new boolean[] {true, false, true, false, true});

    @Test
    void shouldEvaluateOnlyTheLabelledFramesByTheThresholdsTheyWereJudgedBy() {
        EvaluationResult e = a.evaluate("m", "replay", List.of("1"), "quantile", 100.0);
        assertThat(e.nNormal()).isEqualTo(2);
        assertThat(e.nAnomaly()).isEqualTo(2);
        assertThat(e.confusion()).isEqualTo(new EvaluationResult.Confusion(1, 1, 1, 1));
        assertThat(e.threshold().value()).as("mean of the labelled frames' thresholds").isCloseTo(0.45, within(1e-12));
        assertThat(e.timings().scoreImagesPerSecond()).isEqualTo(100.0);
        assertThat(a.labelledScores(List.of("1")).scores()).containsExactly(0.9, 0.2, 0.3, 0.6);
        assertThat(a.flagged()).isEqualTo(3);
        assertThat(a.labelled()).isTrue();
    }

    @Test
    void shouldListWhereTwoModelsJudgeTheSameFramesDifferently() {
        Verdicts b = new Verdicts(a.frameIds(), a.labels(), new double[] {0.9, 0.7, 0.1, 0.6, 0.6},
                a.thresholds(), new boolean[] {true, true, false, true, true});
        Agreement agreement = a.agreement(b);
        assertThat(agreement.agreement()).isCloseTo(0.4, within(1e-12));
        assertThat(agreement.disagreements()).isEqualTo(3);
        assertThat(agreement.disagreeingFrames()).extracting(Agreement.Disagreement::frameId).containsExactly("f2", "f3", "f4");
        assertThat(agreement.disagreeingFrames().get(1)).isEqualTo(new Agreement.Disagreement("f3", null, 0.8, true, 0.1, false));

        JsonNode json = Json.MAPPER.valueToTree(agreement);
        assertThat(json.fieldNames()).toIterable().containsExactly("agreement", "disagreements", "disagreeing_frames");
        assertThat(json.get("disagreeing_frames").get(0).fieldNames()).toIterable()
                .containsExactly("frame_id", "label", "a_score", "a_anomaly", "b_score", "b_anomaly");
    }
}
