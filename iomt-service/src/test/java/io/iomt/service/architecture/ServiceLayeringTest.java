package io.iomt.service.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.iomt.service.IomtServiceApplication;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/** The service wires the modules below it; it does not redo their work. */
class ServiceLayeringTest {
  /** The module's main classes only (its own output directory, not the whole class path). */
  private static final JavaClasses SERVICE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importUrl(
              IomtServiceApplication.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void theServiceReachesAzureOnlyThroughIomtAzure() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.service..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.azure..")
        .because(
            "each SDK has one home module (STYLE.md 1): Azure identity reaches FHIR auth through"
                + " iomt-azure's AzureAuthProvider, found by FhirAuth with ServiceLoader")
        .check(SERVICE);
  }

  @Test
  void theServiceStartsTheEmbeddedBrokerOnlyThroughIomtEmbeddedKafka() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.service..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "kafka..",
            "org.apache.kafka.server..",
            "org.apache.kafka.metadata..",
            "org.apache.kafka.raft..",
            "org.apache.kafka.controller..",
            "org.apache.kafka.storage..")
        .because(
            "the service talks to every broker, embedded or remote, as a Kafka client; the"
                + " broker's internals stay inside iomt-embedded-kafka (ARCHITECTURE.md: one code"
                + " path, from laptop to cluster)")
        .check(SERVICE);
  }

  @Test
  void controllersOnlyAppendToTheBrokerAndNeverWaitForFhir() {
    noClasses()
        .that()
        .areAnnotatedWith(RestController.class)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka.clients.consumer..", "io.iomt.fhir..")
        .because(
            "HTTP ingest answers once the broker acknowledged the append and must keep"
                + " accepting while FHIR is down; consuming and writing to FHIR are the pipeline"
                + " stages' work (ARCHITECTURE.md: HTTP ingest, Health)")
        .check(SERVICE);
  }

  @Test
  void theTestKitIsUsedByTestsOnly() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.service..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.iomt.testkit..", "io.iomt.demo..", "io.iomt.benchmarks..")
        .because(
            "iomt-testkit is test scope (the demo alone ships it, on purpose); the service jar"
                + " must not carry a HAPI JPA server, and the demo and benchmarks sit above it")
        .check(SERVICE);
  }
}
