package io.frameguard.stream;

import io.frameguard.avro.ThresholdState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's threshold states: the changelogged store, written for recovery and {@code /thresholds},
 * and an in-memory mirror that judging reads (a store read deserialises a whole window), with when
 * each state was last used. Every state holds a place under the instance's {@link SourceLimit}. A
 * state unused for {@code idleExpiryMs} of wall-clock time is removed from the store, the mirror and
 * the limit; the store delete goes through the task, so under exactly-once its tombstone commits
 * with the task's offsets and outputs.
 */
final class SourceStates {
    private static final Logger LOG = LoggerFactory.getLogger(SourceStates.class);
    private final KeyValueStore<String, ThresholdState> store;
    private final SourceLimit limit;
    private final long idleExpiryMs;
    private final Map<String, Held> held = new HashMap<>();
    private long lastRefusalLogged = Long.MIN_VALUE / 2;

    /** A state's source, its mirror (null until first used after a restore) and last use. */
    private static final class Held {
        final String source;
        ThresholdState state;
        long lastUsed;

        Held(String source, ThresholdState state, long lastUsed) {
            this.source = source;
            this.state = state;
            this.lastUsed = lastUsed;
        }
    }

    /** Takes over the states in {@code store} (restored from the changelog) as used at {@code now}. */
    SourceStates(KeyValueStore<String, ThresholdState> store, SourceLimit limit, long idleExpiryMs, long now) {
        this.store = store;
        this.limit = limit;
        this.idleExpiryMs = idleExpiryMs;
        try (KeyValueIterator<String, ThresholdState> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, ThresholdState> kv = it.next();
                // the window is read again when the source turns up: most restored states never do at once
                held.put(kv.key, new Held(kv.value.getSourceId(), null, now));
                limit.restore(kv.value.getSourceId());
            }
        }
    }

    /** The state under {@code key}, or null when there is none. */
    ThresholdState get(String key) {
        Held h = held.get(key);
        if (h == null) {
            return null;
        }
        if (h.state == null) {
            h.state = store.get(key);
        }
        return h.state;
    }

    /** Whether a new state for {@code source} may be kept: false past the instance's max.sources. */
    boolean admit(String source) {
        if (limit.admit(source)) {
            return true;
        }
        long now = System.currentTimeMillis();
        if (now - lastRefusalLogged > 60_000) {
            lastRefusalLogged = now;
            LOG.warn("source '{}' is past max.sources={} on this instance: it is judged by the calibration threshold and counted"
                    + " under source=\"{}\" (raise max.sources, or lower source.idle.expiry.ms); logged once a minute",
                    source, limit.max(), DetectorMetrics.OTHER_SOURCES);
        }
        return false;
    }

    /** Records {@code state} under {@code key} (admitted before if new); writes the store when {@code changed}. */
    void put(String key, ThresholdState state, boolean changed, long now) {
        Held h = held.get(key);
        if (h == null) {
            held.put(key, new Held(state.getSourceId(), state, now));
        } else {
            h.state = state;
            h.lastUsed = now;
        }
        if (changed) {
            store.put(key, state);
        }
    }

    /**
     * Removes the states unused for longer than the expiry and returns the sources of which this
     * task now holds no state at all (their metric series can go).
     */
    List<String> expire(long now) {
        List<String> gone = new ArrayList<>();
        for (Iterator<Map.Entry<String, Held>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Held> e = it.next();
            if (now - e.getValue().lastUsed >= idleExpiryMs) {
                it.remove();
                // put(k, null) rather than delete(k): delete deserialises the old window to return it
                store.put(e.getKey(), null);
                limit.release(e.getValue().source);
                gone.add(e.getValue().source);
            }
        }
        gone.removeIf(source -> held.values().stream().anyMatch(h -> h.source.equals(source)));
        return gone;
    }

    /** Gives this task's places back (the task is closed; its states stay in the changelog). */
    void close() {
        held.values().forEach(h -> limit.release(h.source));
        held.clear();
    }
}
