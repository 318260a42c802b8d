package io.iomt.embedded.kafka.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.iomt.embedded.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;

/** The embedded broker is a plain Kafka broker in a box, usable by any module and by tests. */
class EmbeddedKafkaLayeringTest {
  /** The module's main classes only (its own output directory, not the whole class path). */
  private static final JavaClasses BROKER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importUrl(EmbeddedKafkaBroker.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void theBrokerUsesNoOtherConnectorModule() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.embedded..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.iomt.core..",
            "io.iomt.fhir..",
            "io.iomt.pipeline..",
            "io.iomt.azure..",
            "io.iomt.service..",
            "io.iomt.cli..",
            "io.iomt.testkit..",
            "io.iomt.demo..",
            "io.iomt.benchmarks..")
        .because(
            "the stages must see the embedded broker exactly as they see a Kafka cluster or an"
                + " Event Hubs namespace (ARCHITECTURE.md: one code path, from laptop to"
                + " cluster); a broker that knew the connector could hide a difference")
        .check(BROKER);
  }

  @Test
  void theBrokerKnowsNoFhirSpringOrAzureSdk() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.embedded..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "ca.uhn.fhir..", "org.hl7.fhir..", "org.springframework..", "com.azure..")
        .because(
            "it holds the Kafka broker libraries and nothing else, so the service, the"
                + " benchmarks and tests can start it without pulling in another stack")
        .check(BROKER);
  }
}
