package io.frameguard.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
    @Test
    void shouldUseTheHeaderNamesOfKafkaStreamsOwnDeadLetterQueue() {
        assertThat(DeadLetter.STREAMS_EXCEPTION).isEqualTo(ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_NAME);
        assertThat(DeadLetter.STREAMS_MESSAGE).isEqualTo(ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_MESSAGE_NAME);
        assertThat(DeadLetter.STREAMS_TOPIC).isEqualTo(ExceptionHandlerUtils.HEADER_ERRORS_TOPIC_NAME);
        assertThat(DeadLetter.STREAMS_PARTITION).isEqualTo(ExceptionHandlerUtils.HEADER_ERRORS_PARTITION_NAME);
        assertThat(DeadLetter.STREAMS_OFFSET).isEqualTo(ExceptionHandlerUtils.HEADER_ERRORS_OFFSET_NAME);
    }

    @Test
    void shouldKeepTheInputHeadersAndAddBothFrameGuardsAndKafkaStreamsReasonAndOrigin() {
        RecordMetadata origin = new RecordMetadata() {
            public String topic() {
                return "frames";
            }

            public int partition() {
                return 3;
            }

            public long offset() {
                return 42;
            }
        };
        var original = new RecordHeaders(new RecordHeader[] {new RecordHeader("traceparent", "00-abc-def-01".getBytes())});
        var h = DeadLetter.headers(original, DeadLetter.Reason.UNKNOWN_SCHEMA, "unknown schema id 7", origin);
        assertThat(DeadLetter.header(h, "traceparent")).isEqualTo("00-abc-def-01");
        assertThat(DeadLetter.header(h, DeadLetter.REASON_CODE)).isEqualTo("unknown_schema");
        assertThat(DeadLetter.header(h, "__streams.errors.exception")).isEqualTo("org.apache.kafka.common.errors.SerializationException");
        assertThat(DeadLetter.header(h, "__streams.errors.message")).isEqualTo("unknown schema id 7");
        assertThat(DeadLetter.header(h, "__streams.errors.topic")).isEqualTo("frames");
        assertThat(DeadLetter.header(h, "__streams.errors.partition")).isEqualTo("3");
        assertThat(DeadLetter.header(h, "__streams.errors.offset")).isEqualTo("42");
        assertThat(DeadLetter.header(h, DeadLetter.OFFSET)).isEqualTo("42");
    }
}
