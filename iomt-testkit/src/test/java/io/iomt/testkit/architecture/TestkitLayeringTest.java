package io.iomt.testkit.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.iomt.testkit.HapiFhirServer;
import org.junit.jupiter.api.Test;

/** The test kit stands outside the connector: real servers and faults the tests control. */
class TestkitLayeringTest {
  /** The module's main classes only (its own output directory, not the whole class path). */
  private static final JavaClasses TESTKIT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importUrl(HapiFhirServer.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void theTestKitUsesNoConnectorModule() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.testkit..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.iomt.fhir..",
            "io.iomt.pipeline..",
            "io.iomt.azure..",
            "io.iomt.service..",
            "io.iomt.cli..",
            "io.iomt.embedded..",
            "io.iomt.demo..",
            "io.iomt.benchmarks..")
        .because(
            "every module above the core uses the test kit in test scope, so it must not depend"
                + " on them (a cycle), and a FHIR server built from the connector's FHIR code could"
                + " not catch the connector's mistakes; the pure core (e.g. how resource ids are"
                + " derived, for the tests' FHIR queries) is allowed, and the core's own tests do"
                + " not use the test kit")
        .check(TESTKIT);
  }

  @Test
  void theTestKitKnowsNoKafkaOrAzureSdk() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.testkit..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..", "kafka..", "com.azure..")
        .because(
            "the broker tests use lives in iomt-embedded-kafka, and the Azure SDK's one home is"
                + " iomt-azure; the test kit brings the FHIR server and fault injection only")
        .check(TESTKIT);
  }
}
