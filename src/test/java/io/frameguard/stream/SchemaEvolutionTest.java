package io.frameguard.stream;

import io.frameguard.stream.serde.SchemaHistory;
import io.frameguard.stream.serde.SingleObjectWireFormat;
import static io.frameguard.stream.TopologyFixture.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.BufferedFrame;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.avro.ThresholdState;
import io.frameguard.config.FrameGuardConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class SchemaEvolutionTest {
    /** ImageFrame as it would have been before {@code attributes}. */
    static final Schema OLDER = new Schema.Parser().parse(ImageFrame.getClassSchema().toString()
            .replaceFirst(",\\{\"name\":\"attributes\".*\\}\\]\\}$", "]}"));
    /** ImageFrame with a field added, with a default, by a newer producer. */
    static final Schema NEWER = new Schema.Parser().parse(ImageFrame.getClassSchema().toString()
            .replaceFirst("\\]\\}$", ",{\"name\":\"exposure_us\",\"type\":\"long\",\"default\":0}]}"));

    @Test
    void shouldScoreFramesWrittenWithAnOlderAndANewerKnownImageFrameSchema() throws IOException {
        assertThat(OLDER.getField("attributes")).isNull();
        assertThat(NEWER.getField("exposure_us")).isNotNull();
        SchemaHistory history = SchemaHistory.released().with(List.of(OLDER, NEWER));
        try (TopologyFixture t = new TopologyFixture(FrameGuardTopologyTest.scorer(), FrameGuardTopologyTest.cfg(), history)) {
            t.frames.pipeInput("line-1".getBytes(), written(OLDER, frame("old", "line-1", 10, null)));
            t.frames.pipeInput("line-1".getBytes(), written(NEWER, frame("new", "line-1", 10, null)));
            t.send(frame("now-1", "line-1", 10, null));
            t.send(frame("now-2", "line-1", 10, null));
            assertThat(t.scores.readValuesToList()).extracting(FrameScore::getFrameId)
                    .containsExactlyInAnyOrder("old", "new", "now-1", "now-2");
            assertThat(t.deadLetters.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldNameEveryKnownFingerprintWhenAWriterSchemaIsUnknown() throws IOException {
        var frames = new SingleObjectWireFormat(SchemaHistory.released().with(List.of(OLDER))).serde(ImageFrame.class).deserializer();
        byte[] unknown = written(NEWER, frame("new", "line-1", 10, null));
        assertThatThrownBy(() -> frames.deserialize("frames", unknown)).hasMessageStartingWith("unknown schema fingerprint "
                        + hex(NEWER))
                .hasMessageContaining("io.frameguard.avro.ImageFrame 3cca86413f128dcb (current)")
                .hasMessageContaining("schemas/history " + hex(OLDER));
    }

    @Test
    void shouldKeepEveryCurrentSchemaInTheHistoryNamedByItsFingerprint() throws IOException {
        List<String> index = Files.readAllLines(Path.of("schemas/history/index.txt"));
        try (var files = Files.list(Path.of("schemas/history"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".avsc")))
                    .containsExactlyInAnyOrderElementsOf(index);
        }
        for (String name : index) {
            Schema s = new Schema.Parser().parse(Path.of("schemas/history", name).toFile());
            assertThat(name).isEqualTo(s.getName() + "-" + hex(s) + ".avsc");
        }
        for (Schema current : List.of(ImageFrame.getClassSchema(), FrameScore.getClassSchema(), AnomalyEvent.getClassSchema(),
                ThresholdState.getClassSchema(), BufferedFrame.getClassSchema())) {
            assertThat(SchemaHistory.released().writersOf(current)).as(current.getName() + " " + hex(current)
                    + " is not in schemas/history: add it when you change a schema").containsKey(
                    SchemaNormalization.parsingFingerprint64(current));
        }
    }

    @Test
    void shouldRestoreThresholdStateAndBufferedFramesWrittenByRelease010() throws IOException {
        Topics topics = Topics.of(FrameGuardConfig.load(null, Map.of(), Map.of()));
        ThresholdState state = topics.thresholdSerde().deserializer().deserialize("frameguard-thresholds-changelog",
                Files.readAllBytes(Path.of("src/test/resources/fixtures/threshold-state-0.1.0.avro")));
        assertThat(state.getSourceId()).isEqualTo("line-1");
        assertThat(state.getWindow()).containsExactly(0.011, 0.012, 0.0105, 0.0125);
        assertThat(state.getNext()).isEqualTo(2);
        assertThat(state.getUpdates()).isEqualTo(42L);
        assertThat(state.getThreshold()).isEqualTo(0.0131);
        assertThat(state.getUpdatedTime()).isEqualTo(Instant.ofEpochMilli(1_764_676_800_000L));
        // 0.1.0's batch store held bare ImageFrames; today's holds BufferedFrames
        BufferedFrame buffered = topics.bufferedSerde().deserializer().deserialize("frameguard-batch-changelog",
                Files.readAllBytes(Path.of("src/test/resources/fixtures/buffered-frame-0.1.0.avro")));
        assertThat(buffered.getFrame().getFrameId()).isEqualTo("line-1-7");
        assertThat(buffered.getFrame().getAttributes()).containsEntry("exposure", "3ms");
        assertThat(buffered.getFrame().getPixels().remaining()).isEqualTo(16);
        assertThat(buffered.getPartition()).isEqualTo(-1);
        BufferedFrame now = BufferedFrames.of(buffered.getFrame(), null, null);
        assertThat(topics.bufferedSerde().deserializer().deserialize("x", topics.bufferedSerde().serializer().serialize("x", now)))
                .isEqualTo(now);
    }

    @Test
    void shouldKeepScoresAndEventsReadableByConsumersOfRelease010AndTheReverse() throws IOException {
        for (String[] pair : new String[][] {{"FrameScore-d2e7cd1bee920bcd.avsc", "FrameScore"},
                {"AnomalyEvent-d3c0b60ee754a736.avsc", "AnomalyEvent"}}) {
            Schema old = new Schema.Parser().parse(Path.of("schemas/history", pair[0]).toFile());
            Schema current = pair[1].equals("FrameScore") ? FrameScore.getClassSchema() : AnomalyEvent.getClassSchema();
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(old, current).getType())
                    .as("an old consumer reads " + pair[1]).isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType())
                    .as("replay reads old " + pair[1]).isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        }
    }

    /** The frame as a producer with {@code schema} would write it: fields the schema lacks are dropped, new ones defaulted. */
    static byte[] written(Schema schema, ImageFrame f) throws IOException {
        GenericRecord r = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            Schema.Field current = ImageFrame.getClassSchema().getField(field.name());
            Object v = current == null ? 1234L : f.get(current.pos());
            if (v instanceof Instant i) {
                v = i.toEpochMilli();
            } else if (v instanceof Enum<?> e) {
                v = new GenericData.EnumSymbol(field.schema(), e.name());
            }
            r.put(field.name(), v);
        }
        ByteBuffer b = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(r);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static String hex(Schema s) {
        return String.format("%016x", Long.reverseBytes(SchemaNormalization.parsingFingerprint64(s)));
    }
}
