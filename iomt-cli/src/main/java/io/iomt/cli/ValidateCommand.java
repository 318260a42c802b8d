package io.iomt.cli;

import io.iomt.core.error.TemplateProblem;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.fhirmapping.MappingCrossCheck;
import io.iomt.core.mapping.DeviceMapping;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code iomt validate}: checks mappings and lists every problem with its line and column. */
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
    List<TemplateProblem> problems = DeviceMapping.validate(deviceBytes);
    InputFiles.printProblems(cli.getErr(), deviceMapping, problems);
    boolean valid = problems.stream().noneMatch(TemplateProblem::isError);
    if (fhirMapping != null) {
      byte[] fhirBytes = InputFiles.read(fhirMapping, "--fhir-mapping");
      List<TemplateProblem> fhirProblems = FhirMapping.validate(fhirBytes);
      InputFiles.printProblems(cli.getErr(), fhirMapping, fhirProblems);
      boolean fhirValid = fhirProblems.stream().noneMatch(TemplateProblem::isError);
      if (valid && fhirValid) {
        for (MappingCrossCheck.Finding f :
            MappingCrossCheck.check(
                DeviceMapping.parse(deviceBytes), FhirMapping.parse(fhirBytes))) {
          cli.getErr()
              .println((f.inDeviceMapping() ? deviceMapping : fhirMapping) + ":" + f.problem());
          valid &= !f.problem().isError();
        }
      }
      valid &= fhirValid;
    }
    if (valid) {
      cli.getOut()
          .println(deviceMapping + (fhirMapping == null ? "" : " and " + fhirMapping) + ": valid");
    }
    return valid ? IomtCli.OK : IomtCli.USAGE_OR_MAPPING_ERROR;
  }
}
