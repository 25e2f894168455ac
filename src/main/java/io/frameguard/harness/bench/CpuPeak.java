package io.frameguard.harness.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The CPU's peak single-precision arithmetic: cores × FMA units × vector width × 2 × clock, the
 * bound no kernel can pass (a measured sgemm can be beaten by a network whose layers fit in cache).
 *
 * <p>Vector width comes from the flags in {@code /proc/cpuinfo} (16 floats with {@code avx512f}, 8
 * with {@code avx}, 4 otherwise), FMA units are taken as 2 per core when the CPU has {@code fma} (the
 * server cores of Intel since Skylake-SP and of AMD since Zen 5 issue two full-width FMAs a cycle;
 * AMD's family 25 with {@code avx512f}, Zen 4, runs a 512-bit FMA as two 256-bit halves, so there
 * the width counted is 8 floats), and the clock
 * is measured: a chain of dependent one-cycle integer operations runs one per cycle on any x86 core
 * since the 1990s, so its rate is the clock the core runs at now, boost included.
 */
public record CpuPeak(int cores, int fmaUnits, int vectorFloats, double clockGHz, String flagsSeen) {

    /** GFLOP/s: every core issuing {@code fmaUnits} fused multiply-adds of full vectors every cycle. */
    public double gflops() {
        return cores * fmaUnits * vectorFloats * 2.0 * clockGHz;
    }

    public String describe() {
        return String.format(Locale.ROOT, "CPU peak %.0f GFLOP/s (fp32) = %d cores x %d FMA units x %d floats (%s) x 2 x %.2f GHz"
                + " (clock measured)", gflops(), cores, fmaUnits, vectorFloats, flagsSeen, clockGHz);
    }

    /** Reads the flags and measures the clock (about half a second). */
    public static CpuPeak measure() {
        Set<String> flags = flags();
        boolean halfWidth512 = flags.contains("avx512f") && "AuthenticAMD".equals(field("vendor_id"))
                && "25".equals(field("cpu family"));
        int vector = flags.contains("avx512f") && !halfWidth512 ? 16 : flags.contains("avx") ? 8 : 4;
        String seen = halfWidth512 ? "avx512f on 256-bit units, AMD family 25"
                : flags.contains("avx512f") ? "avx512f" : flags.contains("avx") ? "avx" : "sse";
        int fma = flags.contains("fma") ? 2 : 1;
        return new CpuPeak(Runtime.getRuntime().availableProcessors(), fma, vector, measureClockGHz(), seen + (fma == 2 ? ", fma" : ""));
    }

    /** The value of the first {@code /proc/cpuinfo} line named {@code name}, or null. */
    private static String field(String name) {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith(name) && l.substring(0, l.indexOf(':') < 0 ? 0 : l.indexOf(':')).trim().equals(name))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Set<String> flags() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            return lines.stream().filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> new HashSet<>(Arrays.asList(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))))
                    .orElseGet(HashSet::new);
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /**
     * The median of five timed runs of {@link #chain}: three dependent one-cycle operations (shift,
     * xor, add) per step, each needing the last one's result, so a step takes three cycles.
     */
    static double measureClockGHz() {
        long sink = 0;
        for (int w = 0; w < 5; w++) {
            sink += chain(20_000_000L, w);
        }
        double[] ghz = new double[5];
        long n = 100_000_000L;
        for (int r = 0; r < ghz.length; r++) {
            long t0 = System.nanoTime();
            sink += chain(n, r);
            ghz[r] = 3.0 * n / (System.nanoTime() - t0);
        }
        if (sink == 42) {
            System.out.print(""); // keeps the chains' results alive
        }
        Arrays.sort(ghz);
        return ghz[ghz.length / 2];
    }

    static long chain(long steps, long x) {
        for (long i = 0; i < steps; i++) {
            x += i ^ (x >>> 1);
        }
        return x;
    }
}
