package io.iomt.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.iomt.cli.IomtCli;
import org.junit.jupiter.api.Test;

/** The CLI is a small offline tool: mappings in, JSON out, and FHIR only when asked. */
class CliLayeringTest {
  /** The module's main classes only (its own output directory, not the whole class path). */
  private static final JavaClasses CLI =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importUrl(IomtCli.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void theCliUsesNoKafkaSpringOrAzureSdk() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..",
            "kafka..",
            "org.springframework..",
            "com.azure..",
            "jakarta.servlet..",
            "javax.servlet..")
        .because(
            "bin/iomt starts in a moment and needs no broker, container or cloud SDK; the Azure"
                + " auth types need iomt-azure, which only the service ships (FhirAuth says so)")
        .check(CLI);
  }

  @Test
  void theCliUsesNeitherTheServiceNorTheAzureModule() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.iomt.service..",
            "io.iomt.azure..",
            "io.iomt.embedded..",
            "io.iomt.demo..",
            "io.iomt.benchmarks..")
        .because(
            "the CLI shares the mapping engine and FHIR access (FhirAuth included) with the"
                + " service through iomt-core and iomt-fhir, not by reaching into the service")
        .check(CLI);
  }

  @Test
  void theTestKitIsUsedByTestsOnly() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.iomt.testkit..")
        .because(
            "iomt-testkit (an in-process HAPI JPA server, fault proxies) is a test-scope"
                + " dependency; the shaded bin/iomt jar would otherwise carry a FHIR server")
        .check(CLI);
  }
}
