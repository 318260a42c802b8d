package io.iomt.benchmarks.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.iomt.benchmarks.NormalizationBenchmark;
import org.junit.jupiter.api.Test;

/** Benchmarks may use any module, but they measure the connector's code, not a copy of it. */
class BenchmarksLayeringTest {
  /** The module's main classes only (its own output directory, not the whole class path). */
  private static final JavaClasses BENCHMARKS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importUrl(
              NormalizationBenchmark.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void theBenchmarksUseNoCliOrDemo() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.benchmarks..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.iomt.cli..", "io.iomt.demo..")
        .because("they measure the stages in-process, not through the CLI or the demo")
        .check(BENCHMARKS);
  }

  @Test
  void onlyTheEventHubsBenchmarkUsesTheAzureSdkAsItsBaseline() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.benchmarks..")
        .and()
        .resideOutsideOfPackage("io.iomt.benchmarks.eventhubs..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.azure..")
        .because(
            "the Azure SDK's one home is iomt-azure (STYLE.md 1); the Event Hubs benchmark's"
                + " baseline is the SDK's own processor reading the same events, which it can"
                + " only measure through the SDK. It still needs no cloud account: it reads the"
                + " AMQP test server on loopback")
        .check(BENCHMARKS);
  }
}
