package io.frameguard.stream;

import static io.frameguard.stream.TopologyFixture.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** What comes in with a frame (attributes, headers, its position in the input) goes out with its score and event. */
class PassThroughTest {
    @Test
    void shouldCarryAttributesHeadersAndTheFramesTopicPartitionAndOffsetToScoresAndEvents() {
        try (TopologyFixture t = new TopologyFixture(FrameGuardTopologyTest.scorer(), FrameGuardTopologyTest.cfg())) {
            for (int i = 0; i < 4; i++) {
                ImageFrame f = ImageFrame.newBuilder(frame("f" + i, "line-1", i == 3 ? 200 : 10, null))
                        .setAttributes(Map.of("exposure", i + "ms")).build();
                var headers = new RecordHeaders(new RecordHeader[] {
                        new RecordHeader("traceparent", ("00-trace" + i + "-span-01").getBytes(StandardCharsets.UTF_8))});
                t.frames.pipeInput(new TestRecord<>("line-1".getBytes(StandardCharsets.UTF_8), t.encode(f), headers,
                        Instant.ofEpochMilli(1000)));
            }
            List<FrameScore> scores = t.scores.readValuesToList();
            assertThat(scores).hasSize(4);
            FrameScore last = scores.get(3);
            assertThat(last.getAttributes()).containsExactly(Map.entry("exposure", "3ms"));
            assertThat(last.getHeaders()).containsEntry("traceparent", "00-trace3-span-01");
            assertThat(last.getFrameTopic()).isEqualTo(t.topics.frames());
            assertThat(last.getFramePartition()).isZero();
            assertThat(scores).extracting(FrameScore::getFrameOffset).containsExactly(0L, 1L, 2L, 3L);

            AnomalyEvent event = t.anomalies.readValue();
            assertThat(event.getFrameId()).isEqualTo("f3");
            assertThat(event.getAttributes()).containsEntry("exposure", "3ms");
            assertThat(event.getHeaders()).containsEntry("traceparent", "00-trace3-span-01");
            assertThat(event.getFrameTopic()).isEqualTo(t.topics.frames());
            assertThat(event.getFrameOffset()).isEqualTo(3L);
        }
    }

    @Test
    void shouldGiveDeadLettersKafkaStreamsOwnErrorHeadersAsWell() {
        try (TopologyFixture t = new TopologyFixture(FrameGuardTopologyTest.scorer(), FrameGuardTopologyTest.cfg())) {
            t.frames.pipeInput("line-1".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
            var dead = t.deadLetters.readRecord();
            assertThat(DeadLetter.header(dead.headers(), "__streams.errors.topic")).isEqualTo(t.topics.frames());
            assertThat(DeadLetter.header(dead.headers(), "__streams.errors.offset")).isEqualTo("0");
            assertThat(DeadLetter.header(dead.headers(), "__streams.errors.message")).startsWith("not Avro single-object encoded");
        }
    }
}
