package io.frameguard.stream;

import static io.frameguard.stream.FrameGuardTopologyTest.cfg;
import static io.frameguard.stream.FrameGuardTopologyTest.scorer;
import static io.frameguard.stream.TopologyFixture.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.frameguard.avro.Encoding;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Bad and unusual records on the production topology: dead-letter reasons, poison kinds, RGB frames. */
class BadInputTopologyTest {
    @Test
    void shouldGiveEveryChaosPoisonKindItsReasonAndScoreTheRgbFrame() {
        try (TopologyFixture t = new TopologyFixture(scorer(), cfg("max.frame.bytes", "2000"))) {
            java.util.Random random = new java.util.Random(1);
            for (io.frameguard.harness.chaos.Poison kind : io.frameguard.harness.chaos.Poison.values()) {
                var r = kind.make(frame("p-" + kind, "line-1", 10, "1"), t::encode, 2000, random);
                t.frames.pipeInput(r.key(), r.value());
            }
            t.driver.advanceWallClockTime(Duration.ofMillis(500));
            assertThat(t.deadLetters.readRecordsToList()).extracting(r -> DeadLetter.header(r.headers(), DeadLetter.REASON_CODE))
                    .containsExactlyElementsOf(java.util.Arrays.stream(io.frameguard.harness.chaos.Poison.values())
                            .map(io.frameguard.harness.chaos.Poison::reason).filter(java.util.Objects::nonNull).toList());
            assertThat(t.scores.readValuesToList()).extracting(FrameScore::getFrameId).containsExactly("p-RGB_FRAME");
        }
    }

    @Test
    void shouldDeadLetterEveryKindOfBadRecordWithItsReasonAndKeepGoing() {
        try (TopologyFixture t = new TopologyFixture(scorer(), cfg("max.frame.bytes", "2000"))) {
            ImageFrame ok = frame("ok", "line-1", 10, null);
            byte[] good = t.encode(ok);
            byte[] unknownSchema = good.clone();
            unknownSchema[3] ^= 0x55;
            t.frames.pipeInput("line-1".getBytes(), new byte[] {1, 2, 3});
            t.frames.pipeInput("line-1".getBytes(), java.util.Arrays.copyOf(good, good.length - 5));
            t.frames.pipeInput("line-1".getBytes(), unknownSchema);
            t.frames.pipeInput((byte[]) null, good);
            t.frames.pipeInput("line-1".getBytes(), (byte[]) null);
            t.frames.pipeInput("line-1".getBytes(), new byte[3000]);
            t.send(ImageFrame.newBuilder(ok).setFrameId("short").setPixels(ByteBuffer.wrap(new byte[5])).build());
            t.send(ImageFrame.newBuilder(ok).setFrameId("zero").setWidth(0).setHeight(0).setPixels(ByteBuffer.allocate(0)).build());
            t.send(ImageFrame.newBuilder(ok).setFrameId("big").setWidth(8).setHeight(2).build());
            t.send(ImageFrame.newBuilder(ok).setFrameId("gif").setEncoding(Encoding.PNG)
                    .setPixels(ByteBuffer.wrap("GIF89a....".getBytes())).build());
            t.send(ImageFrame.newBuilder(ok).setFrameId("badpng").setEncoding(Encoding.PNG)
                    .setPixels(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3})).build());
            byte[] nan = new byte[16];
            nan[0] = (byte) 0xEE;
            t.send(ImageFrame.newBuilder(ok).setFrameId("nan").setPixels(ByteBuffer.wrap(nan)).build());
            t.send(ok);
            t.driver.advanceWallClockTime(Duration.ofMillis(500));

            var dead = t.deadLetters.readRecordsToList();
            assertThat(dead).extracting(r -> DeadLetter.header(r.headers(), DeadLetter.REASON_CODE)).containsExactly(
                    "undecodable", "undecodable", "unknown_schema", "null_key", "null_value", "oversized", "bad_shape",
                    "bad_shape", "wrong_size", "unsupported_encoding", "undecodable_image", "non_finite_score");
            TestRecord<byte[], byte[]> first = dead.get(0);
            assertThat(first.value()).containsExactly(1, 2, 3);
            Headers h = first.headers();
            assertThat(DeadLetter.header(h, DeadLetter.TOPIC)).isEqualTo("frames");
            assertThat(DeadLetter.header(h, DeadLetter.OFFSET)).isEqualTo("0");
            assertThat(DeadLetter.header(dead.get(8).headers(), DeadLetter.REASON))
                    .isEqualTo("frame big from line-1 is 8x2, model expects 4x4");
            assertThat(t.scores.readValuesToList()).extracting(FrameScore::getFrameId).containsExactly("ok");
        }
    }

    @Test
    void shouldConvertRgbFramesToGray() {
        try (TopologyFixture t = new TopologyFixture(scorer(), cfg("batch.size", "1"))) {
            byte[] rgb = new byte[16 * 3];
            for (int i = 0; i < 16; i++) {
                rgb[3 * i] = (byte) 255; // pure red -> luma 0.299*255 = 76
            }
            t.send(ImageFrame.newBuilder(frame("rgb", "line-1", 0, null)).setChannels(3).setPixels(ByteBuffer.wrap(rgb)).build());
            assertThat(t.scores.readValue().getScore()).isCloseTo(76 / 255.0, within(1e-9));
        }
    }
}
