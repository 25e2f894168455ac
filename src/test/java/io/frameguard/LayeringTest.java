package io.frameguard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering CONTRIBUTING.md describes, checked on the compiled main classes: the harness
 * depends on the product and never the reverse, and no two packages depend on each other, whether
 * counted as the top-level packages ({@code cli}, {@code stream}, {@code model}, ...) or package by
 * package ({@code model} and {@code model.inspection} apart).
 */
@AnalyzeClasses(packages = "io.frameguard", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule productShouldNeverDependOnTheHarness = noClasses()
            .that().resideOutsideOfPackage("io.frameguard.harness..")
            .should().dependOnClassesThat().resideInAPackage("io.frameguard.harness..")
            .because("the harness (bench, chaos, traffic, demo) is built on the product, never the reverse");

    @ArchTest
    static final ArchRule topLevelPackagesShouldBeFreeOfCycles = slices().matching("io.frameguard.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule everyPackageShouldBeFreeOfCycles = slices().matching("io.frameguard.(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule modelsDataAndEvaluationShouldKnowNothingOfKafka = noClasses()
            .that().resideInAnyPackage("io.frameguard.data..", "io.frameguard.dl4j..", "io.frameguard.model..",
                    "io.frameguard.training..", "io.frameguard.evaluation..", "io.frameguard.threshold..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
            .because("the same model, training and evaluation code runs offline, without a broker (DESIGN: model knows nothing of Kafka)");
}
