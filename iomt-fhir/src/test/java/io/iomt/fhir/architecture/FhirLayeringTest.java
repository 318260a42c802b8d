package io.iomt.fhir.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.iomt.fhir.FhirDestination;
import org.junit.jupiter.api.Test;

/** FHIR server access is a library the pipeline, the service and the CLI all use as it is. */
class FhirLayeringTest {
  /** The module's main classes only (its own output directory, not the whole class path). */
  private static final JavaClasses FHIR =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importUrl(FhirDestination.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void fhirAccessKnowsNoKafkaSpringAzureSdkOrServlet() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.fhir..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..",
            "org.springframework..",
            "com.azure..",
            "jakarta.servlet..",
            "javax.servlet..")
        .because(
            "the CLI writes to FHIR without a broker or a container, and the Azure SDK has one"
                + " home (iomt-azure, reached through the AzureAuthProvider ServiceLoader SPI), so"
                + " a CLI user does not carry it (ARCHITECTURE.md module table, STYLE.md 1)")
        .check(FHIR);
  }

  @Test
  void fhirAccessUsesNoModuleAboveIt() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.fhir..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.iomt.pipeline..",
            "io.iomt.azure..",
            "io.iomt.service..",
            "io.iomt.cli..",
            "io.iomt.embedded..",
            "io.iomt.demo..",
            "io.iomt.benchmarks..")
        .because(
            "dependencies point one way (core <- fhir <- pipeline <- azure/service); Azure"
                + " identity plugs in through java.util.ServiceLoader, not through a compile-time"
                + " reference")
        .check(FHIR);
  }

  @Test
  void theTestKitIsUsedByTestsOnly() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.fhir..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.iomt.testkit..")
        .because(
            "iomt-testkit (an in-process HAPI JPA server, fault proxies) is a test-scope"
                + " dependency; main code that used it would ship a FHIR server inside the"
                + " connector")
        .check(FHIR);
  }
}
