package io.frameguard.runtime;

import io.frameguard.stream.BatchScorer;
import java.util.Random;

/**
 * Scores synthetic batches before a model takes traffic, so that the JIT has compiled the scoring
 * path (DL4J's layer code, the scorer's copies and score functions) and every scoring thread has its
 * copy of the network: without it a fresh process judged its first seconds of frames several times
 * slower. Batch sizes cycle over 1 to {@code batchSize}, as lingered batches do.
 */
final class ScorerWarmUp {
    static final long MAX_MS = 3_000;
    static final int MAX_BATCHES = 200;

    private ScorerWarmUp() {
    }

    /** Returns the number of batches scored. */
    static int warm(BatchScorer scorer, int batchSize) {
        int pixels = scorer.width() * scorer.height();
        int[] sizes = {1, Math.max(1, batchSize / 8), Math.max(1, batchSize / 2), batchSize};
        byte[] noise = new byte[batchSize * pixels];
        new Random(1).nextBytes(noise);
        long deadline = System.nanoTime() + MAX_MS * 1_000_000;
        int n = 0;
        while (n < MAX_BATCHES && System.nanoTime() < deadline) {
            scorer.score(noise, sizes[n % sizes.length], n % 2 == 0);
            n++;
        }
        return n;
    }
}
