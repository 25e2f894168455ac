package io.frameguard.harness.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.frameguard.FrameGuardException;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import io.frameguard.model.Scorer;
import io.frameguard.training.Versions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * In-process scoring throughput per family and batch size, next to the machine's ceiling measured in
 * the same run: single- and two-thread ND4J sgemm. Each figure is the median of several timed
 * rounds after a warm-up; the spread (min..max) is printed with it. Figures, not verdicts.
 */
public final class ScoringBenchmark {
    /** Options: how long each timed round runs and how many rounds. */
    public record Options(List<ModelFamily> families, int[] batches, int[] workers, double roundSeconds, int rounds,
                          double warmupSeconds, boolean profile, boolean peer) {
    }

    /**
     * One figure. {@code workers} scorer threads each score their own batches with their own copy of
     * the network (as stream threads do in serve); the ceiling is the sgemm of as many threads.
     */
    public record Result(String model, int batch, int workers, @JsonProperty("images_per_s") double imagesPerSecond,
                         @JsonProperty("images_per_s_min") double min, @JsonProperty("images_per_s_max") double max,
                         double gflops, @JsonProperty("ceiling_ratio") double ceilingRatio,
                         @JsonProperty("peak_ratio") double peakRatio) {
    }

    /** {@code peer} is null unless the PyTorch peer was asked for. */
    public record Report(@JsonProperty("sgemm_gflops_1t") double sgemm1, @JsonProperty("sgemm_gflops_2t") double sgemm2,
                         @JsonProperty("omp_threads") int threads, @JsonProperty("cpu_peak_gflops") double peak,
                         List<Result> results, TorchPeer.Report peer) {
    }

    private final PrintWriter out;

    public ScoringBenchmark(PrintWriter out) {
        this.out = out;
    }

    public Report run(Options o) {
        int threads = Nd4j.getEnvironment().maxThreads();
        double error = SgemmCheck.maxScaledError(256, 7);
        if (!(error <= SgemmCheck.TOLERANCE)) {
            throw new FrameGuardException(String.format("ND4J's matrix product differs from a plain Java product by %.2e "
                    + "(per term) on this machine's BLAS kernels; unset OPENBLAS_CORETYPE or set it to one the CPU supports",
                    error));
        }
        out.printf("sgemm check: 256x256 product within %.1e per term of a plain Java product%n", error);
        double s1 = sgemm(1, o);
        double s2 = sgemm(2, o);
        setThreads(threads);
        out.printf("sgemm 1024x1024: %.1f GFLOP/s with 1 thread, %.1f with 2; scoring runs with %d thread(s)%n", s1, s2, threads);
        CpuPeak cpu = CpuPeak.measure();
        out.println(cpu.describe());
        out.printf("%-10s %6s %8s %12s %22s %9s %9s %9s%n", "model", "batch", "workers", "images/s", "spread (min..max)", "GFLOP/s",
                "ceiling", "peak");
        out.flush();
        List<Result> results = new ArrayList<>();
        TorchPeer.Report peer = null;
        Random random = new Random(1);
        for (ModelFamily family : o.families()) {
            ModelSpec spec = ModelSpec.defaults(family);
            ModelBundle bundle = ModelBundle.untrained(spec, Versions.current());
            double flops = Flops.perImage(bundle.network().getLayerWiseConfigurations(), spec);
            TorchPeer.Session session = null;
            if (o.peer() && family == ModelFamily.DENSE) {
                String why = TorchPeer.unavailable();
                if (why != null) {
                    peer = TorchPeer.Report.skipped(why);
                } else {
                    byte[] check = new byte[8 * spec.inputSize()];
                    random.nextBytes(check);
                    session = TorchPeer.start(bundle, check);
                }
            }
            List<TorchPeer.Comparison> comparisons = new ArrayList<>();
            try {
                for (int batch : o.batches()) {
                    byte[] px = new byte[batch * spec.inputSize()];
                    random.nextBytes(px);
                    for (int workers : o.workers()) {
                        List<Runnable> calls = new ArrayList<>();
                        for (int w = 0; w < workers; w++) {
                            Scorer scorer = new Scorer(w == 0 ? bundle : new ModelBundle(bundle.network().clone(), bundle.metadata()));
                            calls.add(() -> scorer.score(px, 0, batch));
                        }
                        double[] rounds;
                        if (session != null && workers == 1) {
                            double[][] both = sideBySide(calls.get(0), session, batch, o);
                            rounds = both[0];
                            double[] torch = both[1];
                            double fg = median(rounds);
                            comparisons.add(new TorchPeer.Comparison(batch, fg, median(torch), torch[0], torch[torch.length - 1],
                                    fg / median(torch)));
                        } else {
                            rounds = measure(calls, batch, o);
                        }
                        double median = median(rounds);
                        double gflops = median * flops / 1e9;
                        double ceiling = workers * threads >= 2 ? s2 : s1;
                        Result r = new Result(family.cliName(), batch, workers, median, rounds[0], rounds[rounds.length - 1],
                                gflops, gflops / ceiling, gflops / (cpu.gflops() * Math.min(workers * threads, cpu.cores()) / cpu.cores()));
                        results.add(r);
                        out.printf("%-10s %6d %8d %12.0f %10.0f..%-10.0f %9.2f %8.1f%% %8.1f%%%n", r.model(), batch, workers, median,
                                r.min(), r.max(), gflops, 100 * r.ceilingRatio(), 100 * r.peakRatio());
                        out.flush();
                    }
                }
                if (session != null) {
                    peer = report(session, comparisons);
                }
            } finally {
                if (session != null) {
                    session.close();
                }
            }
            if (o.profile()) {
                profile(bundle, spec, o.batches()[o.batches().length - 1], o);
            }
        }
        if (o.peer() && peer == null) {
            out.println("PyTorch peer skipped: it scores the dense family only; add dense to --families");
            peer = TorchPeer.Report.skipped("dense family not measured");
        } else if (peer != null && peer.skipped() != null) {
            out.println("PyTorch peer skipped: " + peer.skipped());
        }
        return new Report(s1, s2, threads, cpu.gflops(), results, peer);
    }

    /**
     * FrameGuard's one-worker rounds and PyTorch's, a round of each in turn after both have warmed
     * up, so that a host whose speed drifts during the run slows both alike: {@code [frameguard,
     * pytorch]}, each ascending.
     */
    private static double[][] sideBySide(Runnable call, TorchPeer.Session session, int batch, Options o) {
        measure(List.of(call), batch, o.warmupSeconds(), 0, o.roundSeconds());
        session.round(batch, o.warmupSeconds());
        double[] frameguard = new double[o.rounds()];
        double[] torch = new double[o.rounds()];
        for (int r = 0; r < o.rounds(); r++) {
            frameguard[r] = measure(List.of(call), batch, 0, 1, o.roundSeconds())[0];
            torch[r] = session.round(batch, o.roundSeconds());
        }
        Arrays.sort(frameguard);
        Arrays.sort(torch);
        return new double[][] {frameguard, torch};
    }

    /**
     * The PyTorch peer's table: its figures beside FrameGuard's one-worker ones, timed side by side. PyTorch times
     * {@code model(x)} on a ready float tensor; FrameGuard's figure also converts the pixels and
     * computes the score.
     */
    private TorchPeer.Report report(TorchPeer.Session session, List<TorchPeer.Comparison> rows) {
        out.printf("PyTorch peer: torch %s, %d thread, model(x) under inference_mode on the same weights; outputs within"
                + " %.1e of FrameGuard's on %d images; rounds of the two taken in turn%n", session.torch(), session.threads(),
                session.maxAbsDiff(), session.checkedImages());
        out.printf("%-10s %6s %16s %16s %22s %11s%n", "model", "batch", "FrameGuard im/s", "PyTorch im/s",
                "PyTorch (min..max)", "FG/PyTorch");
        for (TorchPeer.Comparison c : rows) {
            out.printf("%-10s %6d %16.0f %16.0f %10.0f..%-10.0f %10.2fx%n", "dense", c.batch(), c.frameguard(), c.pytorch(),
                    c.pytorchMin(), c.pytorchMax(), c.ratio());
        }
        out.flush();
        return new TorchPeer.Report(session.torch(), session.threads(), session.checkedImages(), session.maxAbsDiff(), rows, null);
    }

    /**
     * Milliseconds per forward pass of each layer at {@code batch}, one thread: every layer's
     * {@code activate} timed on its real input (the previous layer's activations), median of the rounds.
     */
    private void profile(ModelBundle bundle, ModelSpec spec, int batch, Options o) {
        var net = bundle.network();
        INDArray input = Nd4j.rand(DataType.FLOAT, batch, spec.inputSize());
        List<INDArray> acts = net.feedForward(input, false);
        var mgr = org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
        int layers = net.getnLayers();
        int reps = Math.max(3, o.rounds() * 2);
        double[][] ms = new double[layers][reps];
        for (int r = -2; r < reps; r++) {
            for (int l = 0; l < layers; l++) {
                INDArray x = acts.get(l);
                var pre = net.getLayerWiseConfigurations().getInputPreProcess(l);
                long t0 = System.nanoTime();
                if (pre != null) {
                    x = pre.preProcess(x, batch, mgr);
                }
                net.getLayer(l).setInput(x, mgr);
                net.getLayer(l).activate(false, mgr);
                if (r >= 0) {
                    ms[l][r] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        out.printf("  per-layer profile of %s at batch %d (ms per forward pass, median of %d):%n", spec.family().cliName(), batch, reps);
        double total = 0;
        for (int l = 0; l < layers; l++) {
            Arrays.sort(ms[l]);
            double m = median(ms[l]);
            total += m;
            var conf = net.getLayerWiseConfigurations().getConf(l).getLayer();
            out.printf("  %3d %-28s %-22s %9.2f%n", l, conf.getClass().getSimpleName(), shape(acts.get(l + 1)), m);
        }
        out.printf("      %-51s %9.2f%n", "total", total);
        out.flush();
    }

    private static String shape(INDArray a) {
        long[] s = a.shape();
        return s.length == 4 ? "-> " + s[1] + "x" + s[2] + "x" + s[3] : "-> " + s[s.length - 1];
    }

    private static double[] measure(List<Runnable> calls, int batch, Options o) {
        return measure(calls, batch, o.warmupSeconds(), o.rounds(), o.roundSeconds());
    }

    /**
     * Images per second of each of {@code rounds} timed rounds after {@code warmupSeconds} not
     * counted, ascending; each call runs in a loop on its own thread, {@code batch} images a call.
     */
    static double[] measure(List<Runnable> calls, int batch, double warmupSeconds, int rounds, double roundSeconds) {
        double[] rates = new double[rounds];
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(calls.size());
        try {
            runFor(pool, calls, warmupSeconds);
            for (int r = 0; r < rates.length; r++) {
                long t0 = System.nanoTime();
                long batches = runFor(pool, calls, roundSeconds);
                rates[r] = batches * batch / ((System.nanoTime() - t0) / 1e9);
            }
        } finally {
            pool.shutdownNow();
        }
        Arrays.sort(rates);
        return rates;
    }

    /** Runs every call in a loop on its own thread for {@code seconds}; returns the batches done in all. */
    private static long runFor(java.util.concurrent.ExecutorService pool, List<Runnable> calls, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<java.util.concurrent.Future<Long>> done = new ArrayList<>();
        for (Runnable call : calls) {
            done.add(pool.submit(() -> {
                long n = 0;
                do {
                    call.run();
                    n++;
                } while (System.nanoTime() < end);
                return n;
            }));
        }
        long total = 0;
        for (var f : done) {
            try {
                total += f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("scoring failed: " + e.getCause(), e.getCause());
            }
        }
        return total;
    }

    private double sgemm(int threads, Options o) {
        setThreads(threads);
        int n = 1024;
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        double[] rounds = measure(List.of(() -> a.mmuli(b, c)), 1, o);
        return median(rounds) * 2.0 * n * n * n / 1e9;
    }

    private static void setThreads(int n) {
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
    }

    private static double median(double[] sorted) {
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
