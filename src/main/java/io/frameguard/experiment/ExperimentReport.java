package io.frameguard.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.frameguard.evaluation.EvaluationResult;
import java.util.List;
import java.util.Map;

/**
 * What an experiment produced, in the JSON contract: one run is written as its
 * {@link EvaluationResult}; several as {@code {"experiment", "runs", "summary"}}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ExperimentReport(String experiment, List<EvaluationResult> runs, Map<String, Object> summary,
                               double wallSeconds) {

    /** The object the JSON contract asks for. */
    public Object contract() {
        if (runs.size() == 1 && summary.isEmpty()) {
            return runs.get(0);
        }
        return new Multi(experiment, runs, summary);
    }

    record Multi(String experiment, List<EvaluationResult> runs, Map<String, Object> summary) {
    }
}
