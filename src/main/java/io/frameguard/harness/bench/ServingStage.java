package io.frameguard.harness.bench;

import java.util.List;
import java.util.function.Predicate;

/**
 * The stages of the serving path that {@code bench profile} charges a stream thread's CPU to, and
 * the rule that puts one sampled stack in one stage.
 *
 * <p>Kafka Streams runs a record through the whole topology inside the source processor's call, so
 * one stack holds every processor a record has passed: a sample belongs to the innermost frame that
 * names a stage (the Avro encoder inside a sink the threshold processor forwarded to is encoding,
 * not thresholds, nor decode). Three stages hold everything under them instead: a changelog write
 * (its serialization and send included), a commit (its transaction and offsets) and a state store's
 * put or get (its serde, the cache and the in-memory store).
 */
public enum ServingStage {
    /** A stream thread parked in the consumer's poll with nothing to do: not CPU. */
    IDLE("idle (waiting in poll)"),
    CHANGELOG("state stores: changelog writes"),
    COMMITS("commits (transactions, offsets)"),
    /** Puts and gets of the batch and threshold stores: their serialization, the cache, the in-memory store. */
    STATE_STORES("state stores: puts and gets (serde, cache)"),
    ENCODING("encoding of the outputs (Avro)"),
    OUTPUTS("outputs (producer send)"),
    SCORING("scoring (DL4J / ND4J)"),
    DECODE("decode and validate"),
    THRESHOLDS("thresholds"),
    BATCH_ASSEMBLY("batch assembly"),
    POLL("poll and fetch"),
    OTHER("other (Kafka Streams runtime)");

    private final String label;

    ServingStage(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** A frame of a sampled stack: its method's class and name. */
    public record Frame(String type, String method) {
        boolean in(String prefix) {
            return type.startsWith(prefix);
        }
    }

    /**
     * The stage of one sample, from its frames leaf first; {@code nativeSample} when the thread was
     * in native code (JFR's {@code jdk.NativeMethodSample}), where a parked poll is told from work.
     */
    public static ServingStage of(List<Frame> frames, boolean nativeSample) {
        if (nativeSample && !frames.isEmpty() && waiting(frames.get(0))) {
            return IDLE;
        }
        for (ServingStage stage : List.of(CHANGELOG, COMMITS, STATE_STORES)) {
            if (frames.stream().anyMatch(stage.rule())) {
                return stage;
            }
        }
        for (Frame f : frames) {
            for (ServingStage stage : values()) {
                Predicate<Frame> rule = stage.rule();
                if (rule != null && rule.test(f)) {
                    return stage;
                }
            }
        }
        return OTHER;
    }

    private static boolean waiting(Frame leaf) {
        return leaf.in("sun.nio.ch.") || (leaf.type().equals("java.lang.Object") && leaf.method().equals("wait"))
                || (leaf.type().equals("jdk.internal.misc.Unsafe") && leaf.method().equals("park"));
    }

    private static final String STREAMS = "org.apache.kafka.streams.processor.internals.";

    private Predicate<Frame> rule() {
        return switch (this) {
            case IDLE, OTHER -> null;
            case CHANGELOG -> f -> f.type().contains("ChangeLogging") || f.method().equals("logChange");
            case COMMITS -> f -> (f.in(STREAMS) && (f.method().startsWith("commit") || f.method().startsWith("maybeCommit")))
                    || (f.type().equals("org.apache.kafka.clients.producer.KafkaProducer")
                        && (f.method().equals("commitTransaction") || f.method().equals("sendOffsetsToTransaction")));
            case ENCODING -> f -> f.method().equals("serialize") || f.type().contains("DatumWriter")
                    || (f.in("org.apache.avro.io.") && f.type().contains("Encoder"));
            case OUTPUTS -> f -> f.type().equals(STREAMS + "RecordCollectorImpl")
                    || f.type().equals("org.apache.kafka.clients.producer.KafkaProducer");
            case SCORING -> f -> f.in("io.frameguard.model.") || f.in("io.frameguard.dl4j.") || f.in("org.nd4j.")
                    || f.in("org.deeplearning4j.") || f.in("org.bytedeco.")
                    || f.type().endsWith("BatchScorer") || f.type().equals("io.frameguard.stream.LiveModel");
            case DECODE -> f -> f.type().equals("io.frameguard.stream.DecodeProcessor")
                    || f.type().equals("io.frameguard.stream.FrameValidator") || f.in("io.frameguard.stream.serde.");
            case THRESHOLDS -> f -> f.type().equals("io.frameguard.stream.ThresholdProcessor")
                    || f.in("io.frameguard.threshold.") || f.type().equals("io.frameguard.stream.SourceStates");
            case STATE_STORES -> f -> f.in("org.apache.kafka.streams.state.internals.");
            case BATCH_ASSEMBLY -> f -> f.type().equals("io.frameguard.stream.MicroBatchProcessor")
                    || f.type().equals("io.frameguard.stream.BufferedFrames");
            case POLL -> f -> f.in("org.apache.kafka.clients.consumer.");
        };
    }
}
