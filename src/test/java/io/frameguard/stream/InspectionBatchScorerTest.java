package io.frameguard.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.avro.ImageFrame;
import io.frameguard.model.Calibration;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.model.inspection.InspectionNetwork;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A batch cut into parts scored on helper threads judges every frame as one thread does, in order. */
class InspectionBatchScorerTest {
    private static InspectionBundle bundle() {
        InspectionBundle.Metadata meta = new InspectionBundle.Metadata(InspectionBundle.KIND, InspectionBundle.FORMAT_VERSION,
                "draem-test-2", "draem", 64, 1, 4, 5, Calibration.of(new double[] {0.1, 0.2, 0.3}), "test", 1, 0, 0, 1L,
                0, Map.of(), Instant.EPOCH.toString());
        return new InspectionBundle(InspectionNetwork.build(1, 4, 64, 1e-3, 5L), meta);
    }

    @Test
    void shouldJudgeEveryFrameOfASplitBatchAsOneThreadDoes() {
        InspectionBundle bundle = bundle();
        List<ImageFrame> frames = List.of(InspectionTopologyTest.frame("a", 96, 64, 1, 1),
                InspectionTopologyTest.frame("b", 64, 80, 1, 2), InspectionTopologyTest.frame("c", 96, 64, 1, 3),
                InspectionTopologyTest.frame("d", 72, 72, 1, 4), InspectionTopologyTest.frame("e", 96, 64, 1, 5));
        BatchScorer.Judged alone;
        try (InspectionBatchScorer one = new InspectionBatchScorer(bundle, 1)) {
            alone = one.score(frames, true);
        }
        try (InspectionBatchScorer three = new InspectionBatchScorer(bundle, 3)) {
            BatchScorer.Judged split = three.score(frames, true);
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                    .contains("frameguard-inspection-scorer-1", "frameguard-inspection-scorer-2");
            // the parts' passes hold other frames than the single thread's: equal to rounding
            assertThat(split.scores()).usingComparatorWithPrecision(1e-6).containsExactly(alone.scores());
            for (int i = 0; i < frames.size(); i++) {
                assertThat(split.maps().apply(i)).usingComparatorWithPrecision(1e-6f).containsExactly(alone.maps().apply(i));
            }
        }
    }
}
