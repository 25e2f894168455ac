package io.frameguard.runtime;

import io.frameguard.topics.CommittedConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Reads whole topics back, committed records only, as a downstream consumer would. */
final class KafkaTopics {
    private KafkaTopics() {
    }

    /** Reads {@code topic} from the beginning until {@code done} holds for what was read, or the timeout. */
    static List<ConsumerRecord<byte[], byte[]>> readUntil(String bootstrap, String topic,
                                                          Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
                                                          Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = CommittedConsumer.open(p, topic, true)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(out)) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Reads for a quiet period after the condition holds, so extra (duplicate) records would show. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, int atLeast, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> first = readUntil(bootstrap, topic, r -> r.size() >= atLeast, timeout);
        try {
            Thread.sleep(1500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return readUntil(bootstrap, topic, r -> false, Duration.ofSeconds(3)).size() >= first.size()
                ? readUntil(bootstrap, topic, r -> false, Duration.ofSeconds(3)) : first;
    }
}
