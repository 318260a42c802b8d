package io.iomt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.error.DataException;
import io.iomt.core.error.InvalidTemplateException;
import io.iomt.core.error.IomtException;
import io.iomt.core.error.TemplateProblem;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.fhirmapping.MappingCrossCheck;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.mapping.MappingTrial;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.measurement.MeasurementJson;
import io.iomt.core.observation.Grouper;
import io.iomt.core.observation.ObservationFactory;
import io.iomt.core.observation.ObservationGroup;
import io.iomt.core.observation.ResourceIds;
import io.iomt.fhir.FhirDestination;
import io.iomt.fhir.FhirResources;
import io.iomt.fhir.auth.TokenProvider;
import io.iomt.fhir.http.RetryPolicy;
import io.iomt.fhir.identity.ResolutionType;
import io.iomt.fhir.write.WriteReport;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Observation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iomt mapping test}: the offline mapping debugger. Runs events through the device mapping,
 * groups the measurements, and shows the Observations the FHIR mapping makes of them; with {@code
 * --fhir-url} it resolves identities and writes them for real, then shows what it wrote,
 * authenticating as {@link FhirAuthCliOptions} say.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = {
      "Runs events through a device mapping and a FHIR mapping and prints one JSON object",
      "{\"measurements\", \"observations\", \"errors\", \"warnings\"}. Without --fhir-url nothing",
      "is sent anywhere and Patient/Device references are derived from the ids.",
      "Exit 0 without errors, 1 when data errors occurred, 2 when a mapping is invalid or the",
      "two mappings do not fit (a device type without a FHIR template), as for 'validate'."
    })
final class MappingTestCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--device-mapping", required = true, paramLabel = "FILE")
  Path deviceMappingFile;

  @Option(names = "--fhir-mapping", required = true, paramLabel = "FILE")
  Path fhirMappingFile;

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "Event envelopes.")
  Path input;

  @Option(
      names = "--fhir-url",
      paramLabel = "URL",
      description = "Resolve identities and write to this FHIR server.")
  URI fhirUrl;

  @Option(
      names = "--identity-resolution",
      defaultValue = "Lookup",
      paramLabel = "TYPE",
      description =
          "Lookup, LookupWithEncounter or Create (with --fhir-url; default ${DEFAULT-VALUE}).")
  String resolution;

  @CommandLine.Mixin FhirAuthCliOptions auth;

  private final ArrayNode errors = JSON.createArrayNode();
  private final ArrayNode warnings = JSON.createArrayNode();
  private final Function<String, String> env;

  MappingTestCommand() {
    this(System::getenv);
  }

  /** With {@code env} read for the secrets' environment variables (tests pass their own). */
  MappingTestCommand(Function<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws IOException {
    TokenProvider tokens = fhirUrl == null ? null : auth.tokens(fhirUrl, env);
    byte[] deviceBytes = InputFiles.read(deviceMappingFile, "--device-mapping");
    byte[] fhirBytes = InputFiles.read(fhirMappingFile, "--fhir-mapping");
    byte[] events = InputFiles.read(input, "--input");
    ObjectNode out = JSON.createObjectNode();
    ArrayNode measurementsJson = out.putArray("measurements");
    ArrayNode observationsJson = out.putArray("observations");
    out.set("errors", errors);
    out.set("warnings", warnings);

    DeviceMapping device = load(deviceMappingFile, () -> DeviceMapping.parse(deviceBytes));
    FhirMapping fhir = load(fhirMappingFile, () -> FhirMapping.parse(fhirBytes));
    if (device == null || fhir == null) {
      print(out);
      return IomtCli.USAGE_OR_MAPPING_ERROR;
    }
    device.warnings().forEach(p -> problem(warnings, deviceMappingFile, p));
    fhir.warnings().forEach(p -> problem(warnings, fhirMappingFile, p));
    boolean mappingsDisagree = false;
    for (MappingCrossCheck.Finding f : MappingCrossCheck.check(device, fhir)) {
      mappingsDisagree |= f.problem().isError();
      problem(
          f.problem().isError() ? errors : warnings,
          f.inDeviceMapping() ? deviceMappingFile : fhirMappingFile,
          f.problem());
    }

    MappingTrial.Completed trial =
        (MappingTrial.Completed)
            MappingTrial.run(deviceBytes, events, new EnvelopeReader(MessageLimits.DEFAULTS));
    trial.failures().forEach(f -> dataError(f.error(), "event " + f.index()));
    for (Measurement m : trial.measurements()) {
      measurementsJson.add(measurementJson(m));
    }
    Grouper.Result grouped = Grouper.group(trial.measurements(), fhir);
    grouped.failures().forEach(f -> dataError(f.error(), "device " + f.measurement().deviceId()));

    List<Observation> observations = new ArrayList<>();
    try {
      if (fhirUrl == null) {
        observations.addAll(offline(grouped.groups()));
      } else {
        observations.addAll(online(grouped.groups(), tokens));
      }
    } catch (IomtException e) {
      dataError(e, "FHIR server " + fhirUrl);
    }
    for (Observation o : observations) {
      observationsJson.add(JSON.readTree(FhirResources.encode(o)));
    }
    print(out);
    if (mappingsDisagree) {
      return IomtCli.USAGE_OR_MAPPING_ERROR;
    }
    return errors.isEmpty() ? IomtCli.OK : IomtCli.DATA_ERROR;
  }

  private List<Observation> offline(List<ObservationGroup> groups) {
    ObservationFactory factory = new ObservationFactory(Clock.systemUTC());
    List<Observation> out = new ArrayList<>();
    for (ObservationGroup g : groups) {
      ObservationFactory.Subject subject =
          new ObservationFactory.Subject(
              g.key().patientId() == null
                  ? null
                  : ResourceIds.of("Patient", null, g.key().patientId()),
              ResourceIds.of("Device", null, g.key().deviceId()),
              g.key().encounterId() == null
                  ? null
                  : ResourceIds.of("Encounter", null, g.key().encounterId()));
      try {
        out.add(factory.create(g, subject));
      } catch (DataException e) {
        dataError(e, "device " + g.key().deviceId());
      }
    }
    return out;
  }

  private List<Observation> online(List<ObservationGroup> groups, TokenProvider tokens) {
    WriteReport report =
        new FhirDestination(
                fhirUrl,
                tokens,
                ResolutionType.parse(resolution),
                RetryPolicy.DEFAULT,
                FhirDestination.TIMEOUT)
            .writer(Clock.systemUTC())
            .write(groups);
    report.rejected().forEach(r -> dataError(r.error(), "device " + r.group().key().deviceId()));
    List<Observation> out = new ArrayList<>(report.created());
    out.addAll(report.updated());
    out.addAll(report.unchanged());
    return out;
  }

  private interface Loader<T> {
    T load();
  }

  private <T> T load(Path file, Loader<T> loader) {
    try {
      return loader.load();
    } catch (InvalidTemplateException e) {
      e.problems().forEach(p -> problem(p.isError() ? errors : warnings, file, p));
      return null;
    }
  }

  private static void problem(ArrayNode into, Path file, TemplateProblem p) {
    ObjectNode n = into.addObject();
    n.put("error", p.isError() ? "InvalidTemplateException" : "Warning");
    n.put("stage", "Setup");
    n.put("file", file.toString());
    n.put("line", p.line());
    n.put("column", p.column());
    n.put("message", p.message());
  }

  private void dataError(IomtException e, String where) {
    ObjectNode n = errors.addObject();
    n.put("error", e.errorName());
    n.put("stage", e.stage().displayName());
    n.put("blocking", e.isBlocking());
    n.put("source", where);
    n.put("message", e.getMessage());
  }

  private static com.fasterxml.jackson.databind.JsonNode measurementJson(Measurement m)
      throws IOException {
    StringWriter w = new StringWriter();
    try (var g = JSON.getFactory().createGenerator(w)) {
      MeasurementJson.write(g, m);
    }
    return JSON.readTree(w.toString());
  }

  private void print(ObjectNode out) throws IOException {
    spec.commandLine().getOut().println(JSON.writeValueAsString(out));
  }
}
