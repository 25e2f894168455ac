package io.frameguard.stream;

import io.frameguard.avro.BufferedFrame;
import java.util.List;

/** Frames scored together, passed from the batcher to the threshold processor in-process. */
record ScoredBatch(List<BufferedFrame> frames, BatchScorer.Judged scores, long scoredTime) {
    int size() {
        return frames.size();
    }
}
