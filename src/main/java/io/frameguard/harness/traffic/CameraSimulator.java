package io.frameguard.harness.traffic;

import io.frameguard.avro.Encoding;
import io.frameguard.avro.ImageFrame;
import io.frameguard.data.ImageFiles;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Simulated cameras: publishes {@link ImageFrame}s round-robin over the sources, keyed by source id,
 * at a fixed rate (or as fast as the producer goes), with labels unless told not to.
 */
public final class CameraSimulator {
    private final Properties producerConfig;
    private final String topic;
    private final Serializer<ImageFrame> serializer;

    public CameraSimulator(Properties clientConfig, String topic, Serializer<ImageFrame> serializer) {
        this.producerConfig = new Properties();
        producerConfig.putAll(clientConfig);
        producerConfig.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        producerConfig.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        producerConfig.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.topic = topic;
        this.serializer = serializer;
    }

    /** What a camera films: the next frame, given the camera's id and the frame's id. */
    @FunctionalInterface
    public interface FrameSource {
        ImageFrame next(String source, String frameId);
    }

    /** Sends {@code count} frames drawn from {@code mix}; see {@link #run(FrameSource, List, long, double, LongConsumer)}. */
    public long run(FrameMix mix, List<String> sources, long count, double ratePerSecond, boolean labels,
                    Encoding encoding, LongConsumer progress) {
        return run((source, id) -> frame(source, id, mix.next(), labels, encoding), sources, count, ratePerSecond, progress);
    }

    /**
     * Sends {@code count} frames, round-robin over {@code sources}, frame {@code i} with the id
     * {@code <source>-<i>}; {@code ratePerSecond} ≤ 0 means unthrottled. {@code progress} is called
     * with the number sent so far about once a second. Returns when all are acknowledged.
     */
    public long run(FrameSource frames, List<String> sources, long count, double ratePerSecond, LongConsumer progress) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long lastReport = start;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < count; i++) {
                if (failure.get() != null) {
                    break;
                }
                if (ratePerSecond > 0) {
                    long due = start + (long) (i * 1e9 / ratePerSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                String source = sources.get((int) (i % sources.size()));
                ImageFrame frame = frames.next(source, source + "-" + i);
                producer.send(new ProducerRecord<>(topic, source, serializer.serialize(topic, frame)), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                long now = System.nanoTime();
                if (now - lastReport > 1_000_000_000L) {
                    progress.accept(i + 1);
                    lastReport = now;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new io.frameguard.FrameGuardException("sending frames to " + topic + " failed: " + failure.get().getMessage(),
                    failure.get());
        }
        progress.accept(count);
        return count;
    }

    /** The number {@code i} of a frame sent by {@link #run}, read back from its id {@code <source>-<i>}. */
    public static int frameNumber(String frameId) {
        return Integer.parseInt(frameId.substring(frameId.lastIndexOf('-') + 1));
    }

    /** One frame of a drawn image, captured now; with {@code labels} it carries the image's label. */
    public static ImageFrame frame(String source, String id, FrameMix.Pick pick, boolean labels, Encoding encoding) {
        var set = pick.set();
        byte[] px = set.image(pick.index());
        byte[] payload = encoding == Encoding.PNG ? ImageFiles.png(px, set.width(), set.height()) : px;
        return ImageFrame.newBuilder().setFrameId(id).setSourceId(source).setCaptureTime(Instant.now())
                .setWidth(set.width()).setHeight(set.height()).setChannels(1).setEncoding(encoding)
                .setPixels(ByteBuffer.wrap(payload)).setLabel(labels ? set.label(pick.index()) : null)
                .setAttributes(Map.of()).build();
    }
}
