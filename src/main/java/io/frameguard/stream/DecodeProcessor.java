package io.frameguard.stream;

import io.frameguard.avro.ImageFrame;
import io.frameguard.stream.DeadLetter.Reason;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes and validates raw {@code frames} records. Valid frames go on to the batcher in model form;
 * everything else goes to the dead-letter sink with its original bytes and a reason. Nothing here
 * throws for bad input: one bad record never stops the line.
 */
final class DecodeProcessor implements Processor<byte[], byte[], Object, Object> {
    private final Deserializer<ImageFrame> frames;
    private final FrameValidator validator;
    private final int maxFrameBytes;
    private final DetectorMetrics metrics;
    private ProcessorContext<Object, Object> context;

    DecodeProcessor(Deserializer<ImageFrame> frames, FrameValidator validator, int maxFrameBytes, DetectorMetrics metrics) {
        this.frames = frames;
        this.validator = validator;
        this.maxFrameBytes = maxFrameBytes;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        byte[] value = record.value();
        if (value == null) {
            deadLetter(record, Reason.NULL_VALUE, "record has no value");
            return;
        }
        if (record.key() == null) {
            deadLetter(record, Reason.NULL_KEY, "record has no key (the key must be the frame's source id)");
            return;
        }
        if (value.length > maxFrameBytes) {
            deadLetter(record, Reason.OVERSIZED, "record of " + value.length + " bytes exceeds max.frame.bytes=" + maxFrameBytes);
            return;
        }
        ImageFrame frame;
        try {
            frame = frames.deserialize(context.recordMetadata().map(m -> m.topic()).orElse(null), value);
        } catch (SerializationException e) {
            Reason reason = e.getMessage() != null && e.getMessage().startsWith("unknown schema") ? Reason.UNKNOWN_SCHEMA
                    : Reason.UNDECODABLE;
            deadLetter(record, reason, e.getMessage());
            return;
        }
        ImageFrame normalized;
        try {
            normalized = validator.normalize(frame);
        } catch (InvalidFrameException e) {
            deadLetter(record, e.reason(), e.getMessage());
            return;
        }
        context.forward(new Record<Object, Object>(frame.getSourceId(),
                BufferedFrames.of(normalized, record.headers(), context.recordMetadata().orElse(null)), record.timestamp()), Names.BATCHER);
    }

    private void deadLetter(Record<byte[], byte[]> record, Reason reason, String why) {
        metrics.deadLetter(reason);
        context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(),
                DeadLetter.headers(record.headers(), reason, why, context.recordMetadata().orElse(null))), Names.DLQ_SINK);
    }
}
