package io.frameguard.runtime;

import io.frameguard.FrameGuardException;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.stream.BatchScorer;
import io.frameguard.stream.BundleBatchScorer;
import io.frameguard.stream.InspectionBatchScorer;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The detector's models from their files: the live model at {@code model.path}, the shadow at {@code shadow.model.path}. */
final class Models {
    private static final Logger LOG = LoggerFactory.getLogger(Models.class);

    private Models() {
    }

    /** The scorer of the bundle at {@code path}: an inspection bundle or a digit-model bundle. */
    static BatchScorer load(Path path, int scoringThreads) {
        return InspectionBundle.isInspectionBundle(path) ? new InspectionBatchScorer(InspectionBundle.load(path), scoringThreads)
                : new BundleBatchScorer(ModelBundle.load(path), scoringThreads);
    }

    /**
     * The shadow model, or null when {@code shadow.model.path} is empty. It scores the frames the
     * live model's validator let through, so it must take the same input: one line otherwise.
     * Warmed by {@code warm} before it is returned.
     */
    static BatchScorer shadow(FrameGuardConfig config, BatchScorer live, UnaryOperator<BatchScorer> warm) {
        Path path = config.shadowModelPath();
        if (path == null) {
            return null;
        }
        BatchScorer shadow = load(path, config.scoringThreads());
        boolean sameInput = live.anyFrameSize() ? shadow.anyFrameSize() : !shadow.anyFrameSize()
                && shadow.width() == live.width() && shadow.height() == live.height();
        if (!sameInput || shadow.channels() != live.channels()) {
            throw new FrameGuardException("shadow model " + shadow.modelId() + " takes " + input(shadow) + " frames, the live model "
                    + live.modelId() + " " + input(live) + " (shadow.model.path " + path + ")");
        }
        LOG.info("shadow model {} judges every frame beside {}; its verdicts go to {}", shadow.modelId(), live.modelId(),
                config.getString(FrameGuardConfig.TOPIC_SHADOW_SCORES));
        return warm.apply(shadow);
    }

    private static String input(BatchScorer s) {
        return (s.anyFrameSize() ? "any-size" : s.width() + "x" + s.height()) + " " + s.channels() + "-channel";
    }
}
