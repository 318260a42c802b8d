package io.iomt.azure.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.iomt.azure.AzureIdentityAuthProvider;
import org.junit.jupiter.api.Test;

/** iomt-azure is the Azure SDK's one home: adapters behind other modules' ports, nothing more. */
class AzureLayeringTest {
  /** The module's main classes only (its own output directory, not the whole class path). */
  private static final JavaClasses AZURE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importUrl(
              AzureIdentityAuthProvider.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void theAzureAdaptersKnowNoSpringOrServlet() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.azure..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "jakarta.servlet..", "javax.servlet..")
        .because(
            "the adapters are plain libraries behind ports (AzureAuthProvider now; EventSource,"
                + " checkpoint store and secret resolver next) that the Spring service wires up;"
                + " STYLE.md 1")
        .check(AZURE);
  }

  @Test
  void theAzureAdaptersUseNoModuleAboveThem() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.azure..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.iomt.service..",
            "io.iomt.cli..",
            "io.iomt.demo..",
            "io.iomt.benchmarks..",
            "io.iomt.embedded..",
            "io.iomt.testkit..")
        .because(
            "iomt-azure may depend on the pipeline, FHIR access and the Azure SDK only"
                + " (ARCHITECTURE.md module table); the service depends on it, not the other way")
        .check(AZURE);
  }
}
