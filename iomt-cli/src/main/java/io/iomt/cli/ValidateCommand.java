package io.iomt.cli;

import io.iomt.core.debug.MappingDebugger;
import io.iomt.core.debug.MappingValidation;
import io.iomt.core.fhirmapping.MappingCrossCheck;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iomt validate}: checks mappings and lists every problem with its line and column ({@link
 * MappingDebugger#validate}, the same check the console's debugger shows).
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Validates a device mapping and, with --fhir-mapping, a FHIR mapping and how the two fit",
      "together. Exit 0 when valid (warnings allowed), 2 with one line per problem",
      "(file:line:column: message) otherwise."
    })
final class ValidateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--device-mapping", required = true, paramLabel = "FILE")
  Path deviceMapping;

  @Option(
      names = "--fhir-mapping",
      paramLabel = "FILE",
      description =
          "FHIR destination mapping (CollectionFhir), checked against the device mapping.")
  Path fhirMapping;

  @Override
  public Integer call() {
    CommandLine cli = spec.commandLine();
    byte[] deviceBytes = InputFiles.read(deviceMapping, "--device-mapping");
    byte[] fhirBytes = fhirMapping == null ? null : InputFiles.read(fhirMapping, "--fhir-mapping");
    MappingValidation validation = MappingDebugger.validate(deviceBytes, fhirBytes);
    InputFiles.printProblems(cli.getErr(), deviceMapping, validation.device().problems());
    if (validation.fhir() != null) {
      InputFiles.printProblems(cli.getErr(), fhirMapping, validation.fhir().problems());
    }
    for (MappingCrossCheck.Finding f : validation.crossCheck()) {
      cli.getErr().println((f.inDeviceMapping() ? deviceMapping : fhirMapping) + ":" + f.problem());
    }
    if (validation.valid()) {
      cli.getOut()
          .println(deviceMapping + (fhirMapping == null ? "" : " and " + fhirMapping) + ": valid");
    }
    return validation.valid() ? IomtCli.OK : IomtCli.USAGE_OR_MAPPING_ERROR;
  }
}
