package io.frameguard.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.TestData;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short form of {@code frameguard chaos}: every scenario, with fewer frames and kills, against
 * real Kafka node processes and real detector processes killed with SIGKILL. The long form's
 * figures are in RELIABILITY.md. Its folder, with every node's and detector's log, stays in
 * {@code target/chaos-it} for a look after a failure.
 */
class ChaosIT {
    static final Path MODEL = TestData.FIXTURE_BUNDLE;

    @Test
    void everyScenarioLosesNothingAndDuplicatesNothing() {
        Path work = Path.of("target", "chaos-it").toAbsolutePath();
        ChaosSuite.deleteQuietly(work);
        ImageSet test = TestData.mnist(Split.TEST);
        StringWriter log = new StringWriter();
        ChaosSuite suite = new ChaosSuite(new PrintWriter(log, true), work, MODEL, test.filter("1"::equals),
                test.filter(l -> !l.equals("1")));
        List<ChaosSuite.Result> results = suite.run(new ChaosSuite.Options(ChaosSuite.SCENARIOS, 4000, 1500, 2, 25, 11));
        System.out.println(log);
        System.out.print(ReliabilityReport.table(results));

        assertThat(results).extracting(ChaosSuite.Result::name).containsExactlyElementsOf(ChaosSuite.SCENARIOS);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.passed()).as(r.name() + ": " + r.notes() + " (logs in " + work.resolve(r.name()) + ")").isTrue();
            assertThat(r.lost()).as(r.name()).isZero();
            assertThat(r.duplicated()).as(r.name()).isZero();
        });
        ChaosSuite.Result crash = results.get(0);
        assertThat(crash.faults()).isEqualTo(2);
        assertThat(log.toString()).contains("SIGKILL detector at");
        ChaosSuite.Result poison = results.get(ChaosSuite.SCENARIOS.indexOf("poison"));
        assertThat(poison.deadLettered()).isGreaterThanOrEqualTo((Poison.values().length - 1) * (1500 / 3 / Poison.values().length));
    }
}
