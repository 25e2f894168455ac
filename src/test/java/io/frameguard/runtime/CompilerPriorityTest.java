package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompilerPriorityTest {
    @Test
    void shouldRaiseTheNiceValueOfEveryJitCompilerThreadAndOfNoOtherThread() throws Exception {
        assumeThat(Files.isDirectory(Path.of("/proc/self/task"))).as("Linux /proc").isTrue();
        List<String> compilers = CompilerPriority.compilerThreads();
        // HotSpot with tiered compilation runs at least one C1 and one C2 thread
        assertThat(compilers).hasSizeGreaterThanOrEqualTo(2);
        String self = Long.toString(currentThreadId());
        assertThat(compilers).doesNotContain(self);
        int before = CompilerPriority.nice(self);
        // any user may raise a nice value, so go one above the highest the compilers have now
        int highest = compilers.stream().mapToInt(CompilerPriorityTest::nice).max().orElseThrow();
        assumeThat(highest).as("compilers already at the lowest priority").isLessThan(19);
        int target = highest + 1;

        CompilerPriority.Outcome done = CompilerPriority.lower(target);
        assertThat(done.lowered()).as(done.message()).isTrue();
        assertThat(done.message()).contains("at nice " + target);

        assertThat(compilers).allSatisfy(t -> assertThat(nice(t)).as("nice of compiler thread %s", t).isEqualTo(target));
        assertThat(CompilerPriority.nice(self)).as("the calling thread").isEqualTo(before);
    }

    /** The Linux thread id of the calling thread, from /proc/thread-self. */
    private static long currentThreadId() throws Exception {
        return Long.parseLong(Path.of("/proc/thread-self").toRealPath().getFileName().toString());
    }

    private static int nice(String thread) {
        try {
            return CompilerPriority.nice(thread);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
