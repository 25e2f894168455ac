package io.frameguard.harness.bench;

import java.time.Duration;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Scores read from a committed-records consumer until {@code n} have come or a time limit has
 * passed: how many came, and the seconds from the first of them to the end of the reading.
 */
record ScoreSpan(long count, double seconds) {
    /** Polls {@code consumer} until {@code n} records have come or {@code limit} has passed. */
    static ScoreSpan read(KafkaConsumer<byte[], byte[]> consumer, long n, Duration limit) {
        long first = -1;
        long count = 0;
        long deadline = System.nanoTime() + limit.toNanos();
        while (count < n && System.nanoTime() < deadline) {
            int got = consumer.poll(Duration.ofMillis(20)).count();
            if (got > 0 && first < 0) {
                first = System.nanoTime();
            }
            count += got;
        }
        return new ScoreSpan(count, first < 0 ? 0 : (System.nanoTime() - first) / 1e9);
    }

    /** Records per second from the first to the last; 0 when none came. */
    double perSecond() {
        return count == 0 ? 0 : count / seconds;
    }
}
