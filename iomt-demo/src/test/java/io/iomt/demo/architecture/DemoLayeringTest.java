package io.iomt.demo.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.iomt.demo.DemoMain;
import org.junit.jupiter.api.Test;

/** The demo runs the real service and checks the result the way a user would. */
class DemoLayeringTest {
  /** The module's main classes only (its own output directory, not the whole class path). */
  private static final JavaClasses DEMO =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importUrl(DemoMain.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void theDemoReadsFhirOverHttpNotThroughTheConnectorsFhirClient() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.demo..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.iomt.fhir..", "io.iomt.azure..")
        .because(
            "the summary line must show what the FHIR server holds, read independently of the"
                + " connector's own FHIR access, or a bug there would confirm itself")
        .check(DEMO);
  }

  @Test
  void theDemoUsesNoAzureSdk() {
    noClasses()
        .that()
        .resideInAPackage("io.iomt.demo..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.azure..", "io.iomt.cli..", "io.iomt.benchmarks..")
        .because(
            "the demo runs on one machine with no cloud account; the Azure SDK's one home is"
                + " iomt-azure (STYLE.md 1)")
        .check(DEMO);
  }
}
