package io.frameguard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** One line describing this machine, for benchmark and reliability reports. */
public final class Machine {
    private Machine() {
    }

    public static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: the generic description is all we have
        }
        long memGiB = 0;
        try {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            memGiB = Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        } catch (RuntimeException e) {
            // not a HotSpot JVM
        }
        return String.format(Locale.ROOT, "%s, %d cores, %d GiB, Java %s, OMP_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s",
                cpu, Runtime.getRuntime().availableProcessors(), memGiB, System.getProperty("java.version"),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
                System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset (OpenBLAS detects the CPU)"));
    }
}
