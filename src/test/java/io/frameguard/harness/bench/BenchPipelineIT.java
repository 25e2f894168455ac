package io.frameguard.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.Json;
import io.frameguard.TestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Smoke run of {@code bench pipeline} on its own embedded broker: it works and writes its JSON contract. */
class BenchPipelineIT {
    @Test
    void shouldMeasureThroughputBaselineAndLatency(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("pipeline.json");
        StringWriter out = new StringWriter();
        CommandLine cl = io.frameguard.cli.FrameGuard.commandLine();
        cl.setOut(new PrintWriter(out, true));
        int code = cl.execute("bench", "pipeline", "--data-dir", TestData.datasets().dataDir().toString(),
                "--model", TestData.FIXTURE_BUNDLE.toString(), "--frames", "10000", "--rates", "200",
                "--seconds", "2", "--latency-warm-up", "1", "--max-warm-up-rounds", "2", "--peer", "--instances", "2",
                "--instances-warm-up", "2", "--json", json.toString(),
                // six serve processes: their warm-up on the broker (BrokerWarmUpIT's subject) would take
                // 20-30 s each here, and this is a smoke run of the bench's steps and contract
                "--set", "warm.up.on.broker=false");
        System.out.println(out);
        assertThat(code).isZero();
        JsonNode r = Json.MAPPER.readTree(json.toFile());
        // throughput is timed from the first committed score to the last: enough frames that the
        // record-at-a-time baseline, whose batch-1 scoring is fast, spans several commits
        assertThat(r.get("frames").asLong()).isEqualTo(10000);
        assertThat(r.get("throughput_fps").asDouble()).isPositive();
        assertThat(r.get("baseline_fps").asDouble()).isPositive();
        assertThat(r.get("ratio").asDouble()).isPositive();
        assertThat(r.get("cpu_us_per_frame").asDouble()).isPositive();
        assertThat(r.get("baseline_cpu_us_per_frame").asDouble()).isPositive();
        assertThat(r.get("latency_ms")).hasSize(1);
        assertThat(r.get("latency_ms").get(0).get("frames").asLong()).isEqualTo(400);
        assertThat(r.get("latency_ms").get(0).get("p99").asDouble()).isPositive();
        assertThat(r.get("latency_ms").get(0).get("p99_capture_to_scored").asDouble()).isPositive();
        assertThat(r.get("latency_ms").get(0).get("p99_scored_to_visible").asDouble()).isPositive();
        assertThat(out.toString()).contains("latency warm-up 1 (not counted)");
        assertThat(r.get("heap_mb").asDouble()).isPositive();
        assertThat(r.get("rss_mb").asDouble()).isPositive();
        JsonNode serve = r.get("serve_process");
        assertThat(serve.get("xmx").asText()).isEqualTo("512m");
        assertThat(serve.get("latency_first_10s").get("frames").asLong()).as("offered at 200/s from the start").isEqualTo(2000);
        assertThat(serve.get("latency_first_10s").get("p99").asDouble()).isPositive();
        assertThat(serve.get("latency").get("frames").asLong()).isEqualTo(400);
        assertThat(serve.get("p99_by_second_ms")).as("the first 10 s and the 2 after them, second by second").hasSize(12);
        for (JsonNode p99 : serve.get("p99_by_second_ms")) {
            assertThat(p99.asDouble()).isPositive();
        }
        assertThat(out.toString()).containsPattern("p99 ms of the frames offered in each second from its start:( \\d+){12}\n");
        assertThat(serve.get("heap_peak_mb").asDouble()).isPositive();
        assertThat(serve.get("heap_after_gc_mb").asDouble()).isNotNegative(); // 0 until the first collection
        assertThat(serve.get("rss_mb").asDouble()).isPositive();
        JsonNode instances = r.get("instances");
        assertThat(instances).as("1 and 2 serve processes in one group").hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(instances.get(i).get("instances").asInt()).isEqualTo(i + 1);
            assertThat(instances.get(i).get("throughput_fps").asDouble()).isPositive();
            assertThat(instances.get(i).get("latency").get("frames").asLong()).as("2 s at 200 frames/s").isEqualTo(400);
        }
        JsonNode peer = r.get("peer");
        if (peer.get("skipped").isNull()) {
            // the Python peer ran: each of its five configurations on tuned and on default malloc, each timed, and both ratios
            assertThat(peer.get("runs")).hasSize(2 * (PipelinePeer.AT_LEAST_ONCE_BATCHES.length + PipelinePeer.EXACTLY_ONCE_BATCHES.length));
            for (JsonNode run : peer.get("runs")) {
                assertThat(run.get("fps").asDouble()).as(run.toString()).isPositive();
                assertThat(run.get("malloc").asText()).as(run.toString()).isIn("tuned", "glibc-default");
            }
            assertThat(peer.get("frameguard_exactly_once_runs_fps")).hasSize(3);
            assertThat(peer.get("frameguard_at_least_once_runs_fps")).hasSize(3);
            assertThat(peer.get("ratio_exactly_once").asDouble()).isPositive();
            assertThat(peer.get("ratio_at_least_once").asDouble()).isPositive();
            assertThat(out.toString()).contains("FrameGuard/peer");
        } else {
            assertThat(peer.get("skipped").asText()).contains("apt-get install");
            System.out.println("pipeline peer not run here: " + peer.get("skipped").asText());
        }
    }

    @Test
    void shouldChargeTheStreamThreadsCpuToStagesFromAFlightRecording(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("profile.json");
        StringWriter out = new StringWriter();
        CommandLine cl = io.frameguard.cli.FrameGuard.commandLine();
        cl.setOut(new PrintWriter(out, true));
        int code = cl.execute("bench", "profile", "--data-dir", TestData.datasets().dataDir().toString(),
                "--model", TestData.FIXTURE_BUNDLE.toString(), "--frames", "20000", "--max-warm-up-rounds", "1",
                "--json", json.toString());
        System.out.println(out);
        assertThat(code).isZero();
        JsonNode r = Json.MAPPER.readTree(json.toFile());
        assertThat(r.get("throughput_fps").asDouble()).isPositive();
        JsonNode p = r.get("profile");
        double streamUs = p.get("stream_thread_cpu_us_per_frame").asDouble();
        assertThat(streamUs).as("the detector's stream thread was found and timed").isPositive();
        assertThat(p.get("busy_samples").asLong()).as("its samples were found in the recording").isPositive();
        double share = 0;
        double us = 0;
        long scoring = -1;
        for (JsonNode s : p.get("stages")) {
            share += s.get("share").asDouble();
            us += s.get("cpu_us_per_frame").asDouble();
            if (s.get("stage").asText().startsWith("scoring")) {
                scoring = s.get("samples").asLong();
            }
        }
        assertThat(share).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(us).isCloseTo(streamUs, org.assertj.core.data.Offset.offset(1e-6 * streamUs));
        assertThat(scoring).as("the scoring stage is one of the stages").isNotNegative();
        assertThat(p.get("hot_methods")).isNotEmpty();
        assertThat(p.get("other_threads").toString()).contains("producer I/O thread");
        assertThat(out.toString()).contains("warm-up 1 (not counted)").contains("stage").contains("us/frame");
    }
}
