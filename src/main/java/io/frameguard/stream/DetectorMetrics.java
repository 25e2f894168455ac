package io.frameguard.stream;

/** What the topology reports as it runs; the runtime exports it to Prometheus. */
public interface DetectorMetrics {
    /** The {@code source} of frames from sources past {@code max.sources}, which have no series of their own. */
    String OTHER_SOURCES = "(other)";

    void frameScored(String source);

    void batchScored(int size, double seconds);

    void anomaly(String source);

    void deadLetter(DeadLetter.Reason reason);

    void threshold(String source, double value);

    /** The source expired ({@code source.idle.expiry.ms}): its series go. */
    default void sourceExpired(String source) {
    }

    /** Reports nothing; for tests and tools. */
    DetectorMetrics NONE = new DetectorMetrics() {
        public void frameScored(String source) {
        }

        public void batchScored(int size, double seconds) {
        }

        public void anomaly(String source) {
        }

        public void deadLetter(DeadLetter.Reason reason) {
        }

        public void threshold(String source, double value) {
        }
    };
}
