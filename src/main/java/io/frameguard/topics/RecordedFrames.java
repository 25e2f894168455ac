package io.frameguard.topics;

import io.frameguard.avro.ImageFrame;
import io.frameguard.stream.DeadLetter;
import io.frameguard.stream.FrameValidator;
import io.frameguard.stream.InvalidFrameException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Frames recorded on a topic, read back for replay: from the beginning or a time range, up to the
 * end offsets seen at start. Reads with {@code assign()} and never commits, so no consumer group
 * (least of all the live detector's) is touched.
 *
 * @param frames the valid frames in model form, partition by partition in offset order
 * @param rejected counts of records the detector would have dead-lettered, by reason
 * @param read records read in the range
 */
public record RecordedFrames(List<ImageFrame> frames, Map<DeadLetter.Reason, Integer> rejected, long read) {

    public static RecordedFrames read(Properties clientConfig, String topic, Instant from, Instant to,
                                      Deserializer<ImageFrame> de, FrameValidator validator, long max) {
        List<ImageFrame> frames = new ArrayList<>();
        Map<DeadLetter.Reason, Integer> rejected = new EnumMap<>(DeadLetter.Reason.class);
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> c = CommittedConsumer.open(clientConfig, topic, true)) {
            List<TopicPartition> parts = List.copyOf(c.assignment());
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            if (from != null) {
                Map<TopicPartition, Long> query = new HashMap<>();
                parts.forEach(tp -> query.put(tp, from.toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> at = c.offsetsForTimes(query);
                for (TopicPartition tp : parts) {
                    OffsetAndTimestamp o = at.get(tp);
                    c.seek(tp, o == null ? end.get(tp) : o.offset());
                }
            }
            Map<TopicPartition, Boolean> done = new HashMap<>();
            while (done.size() < parts.size() && read < max) {
                for (TopicPartition tp : parts) {
                    if (c.position(tp) >= end.get(tp)) {
                        done.put(tp, true);
                    }
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))
                            || (to != null && r.timestamp() > to.toEpochMilli()) || read >= max) {
                        continue;
                    }
                    read++;
                    try {
                        if (r.value() == null) {
                            throw new InvalidFrameException(DeadLetter.Reason.NULL_VALUE, "no value");
                        }
                        frames.add(validator.normalize(de.deserialize(topic, r.value())));
                    } catch (InvalidFrameException e) {
                        rejected.merge(e.reason(), 1, Integer::sum);
                    } catch (SerializationException e) {
                        rejected.merge(DeadLetter.Reason.UNDECODABLE, 1, Integer::sum);
                    }
                }
            }
        }
        return new RecordedFrames(frames, rejected, read);
    }
}
