package io.frameguard.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreshServeTest {
    @Test
    void shouldTakeTheHeapPeakFromTheLargestHeapBeforeACollectionInAG1Log(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gc.log");
        // the lines of a Java 17 -Xlog:gc file of a serve process, G1
        Files.writeString(log, """
                [0.006s][info][gc] Using G1
                [1.912s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->4M(256M) 6.301ms
                [7.004s][info][gc] GC(5) Pause Young (Concurrent Start) (G1 Humongous Allocation) 181M->96M(384M) 12.114ms
                [7.004s][info][gc] GC(6) Concurrent Mark Cycle
                [7.051s][info][gc] GC(6) Pause Remark 120M->118M(384M) 2.001ms
                [7.090s][info][gc] GC(6) Concurrent Mark Cycle 86.003ms
                """);
        assertThat(FreshServe.heapBeforeCollections(log)).isEqualTo(181 * PipelineBenchmark.MB);
    }

    @Test
    void shouldSayZeroForALogWithoutACollection(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gc.log");
        Files.writeString(log, "[0.006s][info][gc] Using G1\n");
        assertThat(FreshServe.heapBeforeCollections(log)).isZero();
    }
}
