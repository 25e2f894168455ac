package io.frameguard.stream;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code max.sources} cap of one instance, shared by all its tasks: a source has a place while
 * some task holds threshold state for it. A task asks for a place the first time it sees a source,
 * and gives it back when the source expires or the task is closed (revoked, or the instance shuts
 * down); a task taking over a partition keeps the places of the states it restores, even past the
 * cap, so a rebalance never throws learnt thresholds away.
 */
final class SourceLimit {
    private final int max;
    /** Source → states held for it (one per task and model); a source is counted once. */
    private final Map<String, Integer> holders = new HashMap<>();

    SourceLimit(int max) {
        this.max = max;
    }

    /** Takes a place for {@code source} if it has one already or one is free. */
    synchronized boolean admit(String source) {
        if (!holders.containsKey(source) && holders.size() >= max) {
            return false;
        }
        holders.merge(source, 1, Integer::sum);
        return true;
    }

    /** Takes a place for {@code source} whatever the cap: its state exists already. */
    synchronized void restore(String source) {
        holders.merge(source, 1, Integer::sum);
    }

    synchronized void release(String source) {
        holders.computeIfPresent(source, (k, n) -> n == 1 ? null : n - 1);
    }

    int max() {
        return max;
    }

    synchronized int size() {
        return holders.size();
    }
}
