package io.iomt.cli;

import io.iomt.core.error.TemplateProblem;
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
      "Validates a device mapping (and, later, a FHIR mapping against it).",
      "Exit 0 when valid, 2 with one line per problem (file:line:column: message) otherwise."
    })
final class ValidateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--device-mapping", required = true, paramLabel = "FILE")
  Path deviceMapping;

  @Option(
      names = "--fhir-mapping",
      paramLabel = "FILE",
      description = "FHIR destination mapping (validation not supported yet).")
  Path fhirMapping;

  @Override
  public Integer call() {
    CommandLine cli = spec.commandLine();
    List<TemplateProblem> problems =
        DeviceMapping.validate(InputFiles.read(deviceMapping, "--device-mapping"));
    InputFiles.printProblems(cli.getErr(), deviceMapping, problems);
    if (fhirMapping != null) {
      InputFiles.read(fhirMapping, "--fhir-mapping");
      cli.getErr()
          .println(
              fhirMapping
                  + ": warning: FHIR mapping validation is not supported yet; only the device"
                  + " mapping was checked");
    }
    boolean valid = problems.stream().noneMatch(TemplateProblem::isError);
    if (valid) {
      cli.getOut().println(deviceMapping + ": valid");
    }
    return valid ? IomtCli.OK : IomtCli.USAGE_OR_MAPPING_ERROR;
  }
}
