package io.frameguard.stream;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The headers of a dead-letter record: why it was rejected and where it came from. The record's key
 * and value are the original bytes, untouched, so it can be inspected or replayed.
 */
public final class DeadLetter {
    public static final String REASON = "frameguard.dlq.reason";
    public static final String REASON_CODE = "frameguard.dlq.reason.code";
    public static final String TOPIC = "frameguard.dlq.source.topic";
    public static final String PARTITION = "frameguard.dlq.source.partition";
    public static final String OFFSET = "frameguard.dlq.source.offset";
    /*
     * The headers Kafka Streams 4.x writes on the records of its own dead-letter queue
     * (org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils, UTF-8 text), so tooling
     * built for those reads ours too. Copied rather than referenced: that class is internal;
     * DeadLetterTest checks they still match.
     */
    public static final String STREAMS_EXCEPTION = "__streams.errors.exception";
    public static final String STREAMS_MESSAGE = "__streams.errors.message";
    public static final String STREAMS_TOPIC = "__streams.errors.topic";
    public static final String STREAMS_PARTITION = "__streams.errors.partition";
    public static final String STREAMS_OFFSET = "__streams.errors.offset";

    private DeadLetter() {
    }

    public static Headers headers(Headers original, Reason code, String reason, RecordMetadata origin) {
        Headers h = new RecordHeaders(original == null ? new RecordHeaders().toArray() : original.toArray());
        h.add(REASON_CODE, code.name().toLowerCase().getBytes(StandardCharsets.UTF_8));
        h.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        h.add(STREAMS_EXCEPTION, code.exception().getBytes(StandardCharsets.UTF_8));
        h.add(STREAMS_MESSAGE, reason.getBytes(StandardCharsets.UTF_8));
        if (origin != null) {
            for (String[] kv : new String[][] {{TOPIC, STREAMS_TOPIC, origin.topic()},
                    {PARTITION, STREAMS_PARTITION, Integer.toString(origin.partition())},
                    {OFFSET, STREAMS_OFFSET, Long.toString(origin.offset())}}) {
                h.add(kv[0], kv[2].getBytes(StandardCharsets.UTF_8));
                h.add(kv[1], kv[2].getBytes(StandardCharsets.UTF_8));
            }
        }
        return h;
    }

    public static String header(Headers headers, String key) {
        var h = headers.lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Why a record was rejected; the code is also the {@code reason} label of the dead-letter metric. */
    public enum Reason {
        NULL_KEY, NULL_VALUE, OVERSIZED, UNDECODABLE, UNKNOWN_SCHEMA, BAD_SHAPE, UNSUPPORTED_ENCODING,
        UNDECODABLE_IMAGE, WRONG_SIZE, NON_FINITE_SCORE;

        /** The exception class named in {@link #STREAMS_EXCEPTION}: what Kafka would have thrown for it. */
        public String exception() {
            return this == UNDECODABLE || this == UNKNOWN_SCHEMA ? "org.apache.kafka.common.errors.SerializationException"
                    : InvalidFrameException.class.getName();
        }
    }
}
