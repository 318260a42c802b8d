package io.iomt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.debug.MappingDebugger;
import io.iomt.core.debug.MappingValidation;
import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.error.IomtException;
import io.iomt.core.error.TemplateProblem;
import io.iomt.core.fhirmapping.MappingCrossCheck;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.measurement.MeasurementJson;
import io.iomt.core.observation.ObservationFactory;
import io.iomt.core.observation.ObservationGroup;
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
 * groups the measurements, and shows the Observations the FHIR mapping makes of them ({@link
 * MappingDebugger}, which the service's console shares); with {@code --fhir-url} it resolves
 * identities and writes them for real, then shows what it wrote, authenticating as {@link
 * FhirAuthCliOptions} say.
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

    MappingDebugger.Outcome outcome =
        new MappingDebugger(
                new EnvelopeReader(MessageLimits.DEFAULTS),
                new ObservationFactory(Clock.systemUTC()))
            .testEnvelopes(deviceBytes, fhirBytes, events);
    MappingValidation validation = outcome.validation();
    if (!(outcome instanceof MappingDebugger.Ran ran)) {
      // only the problems of the mapping(s) that did not load, as before any data is read
      if (!validation.device().valid()) {
        validation.device().problems().forEach(p -> sorted(deviceMappingFile, p));
      }
      if (!validation.fhir().valid()) {
        validation.fhir().problems().forEach(p -> sorted(fhirMappingFile, p));
      }
      print(out);
      return IomtCli.USAGE_OR_MAPPING_ERROR;
    }
    validation.device().problems().forEach(p -> problem(warnings, deviceMappingFile, p));
    validation.fhir().problems().forEach(p -> problem(warnings, fhirMappingFile, p));
    for (MappingCrossCheck.Finding f : validation.crossCheck()) {
      sorted(f.inDeviceMapping() ? deviceMappingFile : fhirMappingFile, f.problem());
    }
    for (MappingDebugger.DataError e : ran.errors()) {
      if (fhirUrl == null || e.step() != MappingDebugger.Step.CONVERT) {
        dataError(
            e.error(),
            e.step() == MappingDebugger.Step.NORMALIZE
                ? "event " + e.message()
                : "device " + e.deviceId());
      }
    }
    for (MappingDebugger.Normalized m : ran.measurements()) {
      measurementsJson.add(measurementJson(m.measurement()));
    }

    List<Observation> observations = new ArrayList<>();
    if (fhirUrl == null) {
      ran.observations().forEach(c -> observations.add(c.observation()));
    } else {
      List<ObservationGroup> groups = new ArrayList<>();
      ran.groups().forEach(g -> groups.add(g.group()));
      try {
        observations.addAll(online(groups, tokens));
      } catch (IomtException e) {
        dataError(e, "FHIR server " + fhirUrl);
      }
    }
    for (Observation o : observations) {
      observationsJson.add(JSON.readTree(FhirResources.encode(o)));
    }
    print(out);
    if (validation.mappingsDisagree()) {
      return IomtCli.USAGE_OR_MAPPING_ERROR;
    }
    return errors.isEmpty() ? IomtCli.OK : IomtCli.DATA_ERROR;
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

  /** A problem into {@code errors} or {@code warnings}, by its severity. */
  private void sorted(Path file, TemplateProblem p) {
    problem(p.isError() ? errors : warnings, file, p);
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
