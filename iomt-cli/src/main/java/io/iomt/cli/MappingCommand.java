package io.iomt.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code iomt mapping ...}: tools for working on a device + FHIR mapping pair. */
@Command(
    name = "mapping",
    mixinStandardHelpOptions = true,
    description = "Mapping tools: 'mapping test' runs events through both mappings.",
    subcommands = {MappingTestCommand.class})
final class MappingCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing command: use 'mapping test'");
  }
}
