package io.frameguard.evaluation;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * How far two models' verdicts on the same frames agree ({@link Verdicts#agreement}), as
 * {@code replay --compare} prints it and writes it into its JSON summary.
 *
 * @param agreement the share of frames both models judged alike
 * @param disagreements frames they judged differently
 * @param disagreeingFrames the first {@value #LISTED} of those, model a's verdict beside model b's
 */
public record Agreement(double agreement, int disagreements,
                        @JsonProperty("disagreeing_frames") List<Disagreement> disagreeingFrames) {
    /** Disagreeing frames listed at most. */
    public static final int LISTED = 100;

    public record Disagreement(@JsonProperty("frame_id") String frameId, String label,
                               @JsonProperty("a_score") double aScore, @JsonProperty("a_anomaly") boolean aAnomaly,
                               @JsonProperty("b_score") double bScore, @JsonProperty("b_anomaly") boolean bAnomaly) {
    }
}
