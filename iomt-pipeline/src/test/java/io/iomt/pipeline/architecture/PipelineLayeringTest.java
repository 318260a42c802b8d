package io.iomt.pipeline.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.iomt.pipeline.FlushPolicy;
import org.junit.jupiter.api.Test;

/** The pipeline runs the stages; it is a library the service (or any host) starts. */
class PipelineLayeringTest {
  /** The module's main classes only (its own output directory, not the whole class path). */
  private static final JavaClasses PIPELINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importUrl(FlushPolicy.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void thePipelineKnowsNoSpringAzureSdkServletOrHapiClient() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.pipeline..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "com.azure..",
            "jakarta.servlet..",
            "javax.servlet..",
            "ca.uhn.fhir.rest.client..")
        .because(
            "the stages run the same in the service, the benchmarks and tests: Spring and HTTP"
                + " belong to iomt-service, the Azure SDK to iomt-azure (behind the pipeline's"
                + " ports), and FHIR is reached through iomt-fhir's writer (ARCHITECTURE.md"
                + " module table, STYLE.md 1)")
        .check(PIPELINE);
  }

  @Test
  void thePipelineUsesNoModuleAboveIt() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.pipeline..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.iomt.azure..",
            "io.iomt.service..",
            "io.iomt.cli..",
            "io.iomt.embedded..",
            "io.iomt.demo..",
            "io.iomt.benchmarks..")
        .because(
            "dependencies point one way: iomt-azure implements the pipeline's ports and the"
                + " service wires them; the embedded broker is just a broker address to the stages")
        .check(PIPELINE);
  }

  @Test
  void theTestKitIsUsedByTestsOnly() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.pipeline..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.iomt.testkit..")
        .because(
            "iomt-testkit (an in-process HAPI JPA server, fault proxies) is a test-scope"
                + " dependency; main code that used it would ship a FHIR server inside the"
                + " connector")
        .check(PIPELINE);
  }

  @Test
  void theEventSourcePortAndTheNormalizerKnowNoTransport() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.pipeline.source..")
        .or()
        .haveFullyQualifiedName("io.iomt.pipeline.Normalizer")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..", "com.azure..", "java.net..")
        .because(
            "the Azure Event Hubs / IoT Hub AMQP source (and later MQTT) must plug into the same"
                + " normalize stage through EventSource; Kafka is one implementation of that port"
                + " (KafkaEventSource), not something the port or the normalizer may assume")
        .check(PIPELINE);
  }

  @Test
  void theNormalizeStageReadsThroughThePortNotAKafkaConsumer() {
    noClasses()
        .that()
        .haveFullyQualifiedName("io.iomt.pipeline.NormalizeStage")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.kafka.clients.consumer..")
        .because(
            "the stage must run unchanged on any EventSource; only its output (the normalized"
                + " topic) is Kafka, which every deployment has")
        .check(PIPELINE);
  }

  @Test
  void theDeadLetterForwardingKnowsNoTransport() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.pipeline.deadletter..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..", "com.azure..", "java.net..")
        .because(
            "the forwarding stage reads the error topic through the EventSource port and writes"
                + " through DeadLetterSink, so that an Event Hub (iomt-azure) or any other"
                + " destination plugs in without the stage knowing Kafka or Azure")
        .check(PIPELINE);
  }
}
