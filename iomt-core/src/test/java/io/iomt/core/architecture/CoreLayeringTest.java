package io.iomt.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.iomt.core.measurement.Measurement;
import org.junit.jupiter.api.Test;

/** The core is pure: the mapping engine must run the same in the CLI, the pipeline and tests. */
class CoreLayeringTest {
  /** The module's main classes only (its own output directory, not the whole class path). */
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importUrl(Measurement.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void theCoreDoesNoIoOfItsOwn() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.net..", "java.nio.file..", "java.nio.channels..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.File")
        .because(
            "the core only transforms bytes and trees it is given; event sources, files and the"
                + " FHIR server belong to adapter modules (ARCHITECTURE.md, STYLE.md 1)")
        .check(CORE);
  }

  @Test
  void theCoreKnowsNothingOfKafkaSpringAzureOrHttpClients() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..",
            "org.springframework..",
            "com.azure..",
            "ca.uhn.fhir.rest.client..",
            "picocli..")
        .because("dependencies point one way: each SDK lives in exactly one adapter module")
        .check(CORE);
  }

  @Test
  void theTestKitIsUsedByTestsOnly() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.core..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.iomt.testkit..")
        .because(
            "iomt-testkit (an in-process HAPI JPA server, fault proxies) is a test-scope"
                + " dependency; the core must stay a pure library")
        .check(CORE);
  }
}
