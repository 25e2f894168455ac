package io.frameguard.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.harness.bench.ServingStage.Frame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sampled stacks of a stream thread, leaf first, as Kafka Streams nests its processors, put in stages. */
class ServingStageTest {
    private static final String STREAMS = "org.apache.kafka.streams.processor.internals.";
    private static final String STORES = "org.apache.kafka.streams.state.internals.";

    /** The frames of a record's way through the topology from the poll loop down to {@code inner}, leaf first. */
    private static List<Frame> stack(String... inner) {
        List<Frame> frames = new ArrayList<>();
        for (String f : inner) {
            int dot = f.lastIndexOf('.');
            frames.add(new Frame(f.substring(0, dot), f.substring(dot + 1)));
        }
        frames.add(new Frame(STREAMS + "SourceNode", "process"));
        frames.add(new Frame(STREAMS + "StreamTask", "process"));
        frames.add(new Frame(STREAMS + "TaskExecutor", "processTask"));
        frames.add(new Frame(STREAMS + "StreamThread", "runOnceWithoutProcessingThreads"));
        return frames;
    }

    @Test
    void shouldChargeTheInnermostProcessorNotTheSourceThatForwardedToIt() {
        // every processor runs inside the decode processor's forward
        assertThat(ServingStage.of(stack("io.frameguard.stream.ThresholdProcessor.judge",
                STREAMS + "ProcessorNode.process", "io.frameguard.stream.MicroBatchProcessor.score",
                STREAMS + "ProcessorNode.process", "io.frameguard.stream.DecodeProcessor.process"), false))
                .isEqualTo(ServingStage.THRESHOLDS);
        assertThat(ServingStage.of(stack("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.execCustomOp2",
                "io.frameguard.model.Scorer.score", "io.frameguard.stream.MicroBatchProcessor.score",
                "io.frameguard.stream.DecodeProcessor.process"), true)).isEqualTo(ServingStage.SCORING);
        assertThat(ServingStage.of(stack("io.frameguard.stream.serde.AvroBodyBounds.index",
                "io.frameguard.stream.DecodeProcessor.process"), false)).isEqualTo(ServingStage.DECODE);
        assertThat(ServingStage.of(stack("io.frameguard.stream.MicroBatchProcessor.process",
                "io.frameguard.stream.DecodeProcessor.process"), false)).isEqualTo(ServingStage.BATCH_ASSEMBLY);
    }

    @Test
    void shouldTellTheEncodingOfAnOutputFromItsSendAndFromTheProcessorThatForwardedIt() {
        assertThat(ServingStage.of(stack("org.apache.avro.io.BinaryEncoder.writeString",
                "org.apache.avro.generic.GenericDatumWriter.write", "io.frameguard.stream.serde.AvroSerde$1.serialize",
                STREAMS + "RecordCollectorImpl.send", STREAMS + "SinkNode.process",
                "io.frameguard.stream.ThresholdProcessor.process"), false)).isEqualTo(ServingStage.ENCODING);
        assertThat(ServingStage.of(stack("org.apache.kafka.clients.producer.internals.RecordAccumulator.append",
                "org.apache.kafka.clients.producer.KafkaProducer.doSend", STREAMS + "RecordCollectorImpl.send",
                STREAMS + "SinkNode.process", "io.frameguard.stream.ThresholdProcessor.process"), false))
                .isEqualTo(ServingStage.OUTPUTS);
    }

    @Test
    void shouldChargeAStoresSerdeAndItsChangelogToTheStoresWhateverIsInsideThem() {
        assertThat(ServingStage.of(stack("org.apache.avro.specific.SpecificDatumWriter.writeField",
                "io.frameguard.stream.serde.AvroSerde$1.serialize", STORES + "MeteredKeyValueStore.put",
                "io.frameguard.stream.MicroBatchProcessor.process"), false)).isEqualTo(ServingStage.STATE_STORES);
        assertThat(ServingStage.of(stack("org.apache.kafka.clients.producer.KafkaProducer.doSend",
                STREAMS + "RecordCollectorImpl.send", STREAMS + "ProcessorContextImpl.logChange",
                STORES + "ChangeLoggingKeyValueBytesStore.put", STORES + "CachingKeyValueStore.flush",
                STREAMS + "TaskManager.commit"), false)).isEqualTo(ServingStage.CHANGELOG);
        assertThat(ServingStage.of(stack("org.apache.kafka.clients.producer.KafkaProducer.commitTransaction",
                STREAMS + "StreamsProducer.commitTransaction", STREAMS + "TaskManager.commit"), false))
                .isEqualTo(ServingStage.COMMITS);
    }

    @Test
    void shouldCountAThreadParkedInPollAsIdleOnlyInNativeCode() {
        List<Frame> parked = stack("sun.nio.ch.EPoll.wait", "sun.nio.ch.EPollSelectorImpl.doSelect",
                "org.apache.kafka.common.network.Selector.poll", "org.apache.kafka.clients.consumer.internals.ClassicKafkaConsumer.poll");
        assertThat(ServingStage.of(parked, true)).isEqualTo(ServingStage.IDLE);
        assertThat(ServingStage.of(stack("org.apache.kafka.clients.consumer.internals.Fetcher.collectFetch",
                "org.apache.kafka.clients.consumer.internals.ClassicKafkaConsumer.poll"), false)).isEqualTo(ServingStage.POLL);
        assertThat(ServingStage.of(stack(STREAMS + "RecordQueue.updateHead"), false)).isEqualTo(ServingStage.OTHER);
    }
}
