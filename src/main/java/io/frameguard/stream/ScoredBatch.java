package io.frameguard.stream;

import io.frameguard.avro.BufferedFrame;
import io.frameguard.model.Scorer.Scores;
import java.util.List;

/** Frames scored together, passed from the batcher to the threshold processor in-process. */
record ScoredBatch(List<BufferedFrame> frames, Scores scores, long scoredTime) {
    int size() {
        return frames.size();
    }
}
