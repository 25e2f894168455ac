package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameguard.FrameGuardException;
import io.frameguard.TestData;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.model.inspection.InspectionNetwork;
import io.frameguard.stream.BatchScorer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live and the shadow model from their files; a shadow must take the live model's input. */
class ModelsTest {
    @Test
    void shouldLoadAWarmedShadowOnlyWhenOneIsConfigured() {
        BatchScorer live = Models.load(TestData.FIXTURE_BUNDLE, 1);
        AtomicInteger warmed = new AtomicInteger();
        assertThat(Models.shadow(config(""), live, s -> { warmed.incrementAndGet(); return s; })).isNull();
        BatchScorer shadow = Models.shadow(config(TestData.FIXTURE_BUNDLE.toString()), live, s -> {
            warmed.incrementAndGet();
            return s;
        });
        assertThat(shadow.modelId()).isEqualTo(live.modelId());
        assertThat(warmed).hasValue(1);
    }

    @Test
    void shouldRefuseAShadowThatTakesOtherFramesInOneLine(@TempDir Path dir) {
        var meta = new InspectionBundle.Metadata(InspectionBundle.KIND, 1, "insp-test", "draem", 16, 1, 4, 3, null, "test",
                0, 0, 0, 1, 0, Map.of(), "now");
        Path inspection = dir.resolve("insp.bundle");
        new InspectionBundle(InspectionNetwork.build(1, 4, 16, 1e-3, 1), meta).save(inspection);
        BatchScorer live = Models.load(TestData.FIXTURE_BUNDLE, 1);
        assertThatThrownBy(() -> Models.shadow(config(inspection.toString()), live, s -> s))
                .isInstanceOf(FrameGuardException.class)
                .hasMessageContaining("shadow model insp-test takes any-size 1-channel frames, the live model "
                        + live.modelId() + " 28x28 1-channel")
                .hasMessageNotContaining("\n");
    }

    private static FrameGuardConfig config(String shadow) {
        return FrameGuardConfig.load(null, Map.of(), Map.of(FrameGuardConfig.SHADOW_MODEL_PATH, shadow));
    }
}
