package io.frameguard.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameguard.TestData;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.Scorer.Scores;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A batch cut into parts scored side by side gives what one forward pass over it gives. */
class BundleBatchScorerTest {
    private final ImageSet test = TestData.mnist(Split.TEST).head(300);

    @Test
    void shouldScoreABatchInPartsExactlyAsInOnePass() {
        ModelBundle bundle = ModelBundle.load(TestData.FIXTURE_BUNDLE);
        try (BundleBatchScorer one = new BundleBatchScorer(bundle, 1);
             BundleBatchScorer three = new BundleBatchScorer(bundle, 3)) {
            // 300 frames: three parts of 100; 70: two parts of 35; 40: one pass (parts under 32 frames)
            for (int n : new int[] {300, 70, 40}) {
                byte[] px = Arrays.copyOf(test.pixels(), n * 784);
                Scores whole = one.score(px, n, true);
                Scores parts = three.score(px, n, true);
                assertThat(parts.scores()).as("%d frames", n).containsExactly(whole.scores());
                assertThat(parts.errorMaps()).as("%d frames", n).containsExactly(whole.errorMaps());
                assertThat(parts.errorMap(n - 1)).isEqualTo(whole.errorMap(n - 1));
            }
        }
    }

    @Test
    void shouldPassAHelperThreadsFailureToTheCaller() {
        ModelBundle bundle = ModelBundle.load(TestData.FIXTURE_BUNDLE);
        try (BundleBatchScorer two = new BundleBatchScorer(bundle, 2)) {
            // 100 frames claimed, 90 given: the second part reads past the end of the pixels
            assertThatThrownBy(() -> two.score(new byte[90 * 784], 100, false))
                    .isInstanceOf(ArrayIndexOutOfBoundsException.class);
        }
    }
}
