package io.frameguard.topics;

import io.frameguard.FrameGuardException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The one way FrameGuard's tools read a topic: every partition assigned (no consumer group, nothing
 * committed, so no live application is disturbed), committed records only, from the beginning or
 * the end.
 */
public final class CommittedConsumer {
    private CommittedConsumer() {
    }

    public static KafkaConsumer<byte[], byte[]> open(Properties clientConfig, String topic, boolean fromBeginning) {
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            var infos = c.listTopics(Duration.ofSeconds(30)).get(topic);
            if (infos == null) {
                throw new FrameGuardException("topic '" + topic + "' does not exist on " + p.get("bootstrap.servers"));
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            if (fromBeginning) {
                c.seekToBeginning(parts);
            } else {
                c.seekToEnd(parts);
            }
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }
}
