package io.iomt.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.mapping.MappingTrial;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.measurement.MeasurementJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code iomt normalize}: applies a device mapping to event envelopes and prints measurements. */
@Command(
    name = "normalize",
    mixinStandardHelpOptions = true,
    description = {
      "Applies a device mapping to one event envelope or a JSON array of them and prints the",
      "measurements as a JSON array.",
      "Exit 0 on success (also when nothing matched), 1 when an event violates the mapping,",
      "2 when the mapping is invalid or the usage is wrong."
    })
final class NormalizeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--device-mapping",
      required = true,
      paramLabel = "FILE",
      description = "The device mapping (CollectionContent JSON).")
  Path deviceMapping;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE",
      description =
          "One envelope {\"Body\":...,\"Properties\":{...},\"SystemProperties\":{...}} or an array of"
              + " them. An object without Body is used as the envelope as it is.")
  Path input;

  @Option(
      names = "--max-message-bytes",
      paramLabel = "BYTES",
      defaultValue = "" + MessageLimits.DEFAULT_MAX_MESSAGE_BYTES,
      description = "Largest accepted event, in bytes (default: ${DEFAULT-VALUE}).")
  int maxMessageBytes;

  @Override
  public Integer call() throws IOException {
    CommandLine cli = spec.commandLine();
    if (maxMessageBytes <= 0) {
      throw new CommandLine.ParameterException(cli, "--max-message-bytes must be positive");
    }
    byte[] mapping = InputFiles.read(deviceMapping, "--device-mapping");
    byte[] events = InputFiles.read(input, "--input");
    EnvelopeReader reader =
        new EnvelopeReader(MessageLimits.DEFAULTS.withMaxMessageBytes(maxMessageBytes));
    PrintWriter err = cli.getErr();
    MappingTrial.Outcome outcome = MappingTrial.run(mapping, events, reader);
    if (outcome instanceof MappingTrial.InvalidMapping invalid) {
      InputFiles.printProblems(err, deviceMapping, invalid.problems());
      return IomtCli.USAGE_OR_MAPPING_ERROR;
    }
    MappingTrial.Completed done = (MappingTrial.Completed) outcome;
    InputFiles.printProblems(err, deviceMapping, done.warnings());
    print(cli.getOut(), done);
    for (MappingTrial.EventFailure f : done.failures()) {
      err.println(
          "event " + f.index() + ": " + f.error().errorName() + ": " + f.error().getMessage());
    }
    return done.failures().isEmpty() ? IomtCli.OK : IomtCli.DATA_ERROR;
  }

  private static void print(PrintWriter out, MappingTrial.Completed done) throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out);
    g.setPrettyPrinter(
        new DefaultPrettyPrinter()
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE)
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
    g.writeStartArray();
    for (Measurement m : done.measurements()) {
      MeasurementJson.write(g, m);
    }
    g.writeEndArray();
    g.flush();
    out.println();
  }
}
