package io.iomt.service.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.iomt.core.debug.MappingCheck;
import io.iomt.core.debug.MappingDebugger;
import io.iomt.core.debug.MappingValidation;
import io.iomt.core.error.DataException;
import io.iomt.core.error.ErrorOrigin;
import io.iomt.core.error.TemplateProblem;
import io.iomt.core.fhirmapping.MappingCrossCheck;
import io.iomt.core.measurement.MeasurementJson;
import io.iomt.fhir.FhirResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;

/** Writes the mapping debugger's answers in the shapes of docs/console.md. Stateless. */
final class DebuggerAnswers {
  static final ObjectMapper JSON = new ObjectMapper();

  private DebuggerAnswers() {}

  /** {@code deviceMapping}, {@code fhirMapping} and, when both loaded, {@code crossCheck}. */
  static ObjectNode validation(MappingValidation v) {
    ObjectNode out = JSON.createObjectNode();
    out.set("deviceMapping", check(v.device()));
    out.set("fhirMapping", check(v.fhir()));
    if (v.bothLoaded()) {
      ArrayNode cross = out.putArray("crossCheck");
      for (MappingCrossCheck.Finding f : v.crossCheck()) {
        ObjectNode n = problem(cross, f.problem());
        n.put("mapping", f.inDeviceMapping() ? "device" : "fhir");
      }
    }
    return out;
  }

  /**
   * The test's answer: the validation, then measurements, observations (each with how it compares
   * to the server) and errors; all three empty when the mappings did not load.
   */
  static ObjectNode test(MappingDebugger.Outcome outcome, List<ServerComparison.View> views) {
    ObjectNode out = validation(outcome.validation());
    ArrayNode measurements = out.putArray("measurements");
    ArrayNode observations = out.putArray("observations");
    ArrayNode errors = out.putArray("errors");
    if (!(outcome instanceof MappingDebugger.Ran ran)) {
      return out;
    }
    for (MappingDebugger.Normalized m : ran.measurements()) {
      ObjectNode n = measurements.addObject();
      n.put("message", m.message());
      n.set("measurement", measurement(m));
    }
    for (int i = 0; i < ran.observations().size(); i++) {
      MappingDebugger.Converted c = ran.observations().get(i);
      ServerComparison.View view = views.get(i);
      ObjectNode n = observations.addObject();
      n.set(
          "resource",
          resource(
              view instanceof ServerComparison.Compared cmp ? cmp.resource() : c.observation()));
      ArrayNode from = n.putArray("messages");
      c.messages().forEach(from::add);
      n.set("server", server(view));
    }
    for (MappingDebugger.DataError e : ran.errors()) {
      errors.add(error(e));
    }
    return out;
  }

  private static JsonNode check(MappingCheck<?> check) {
    if (check == null) {
      return JSON.nullNode();
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("valid", check.valid());
    ArrayNode problems = out.putArray("problems");
    check.problems().forEach(p -> problem(problems, p));
    return out;
  }

  private static ObjectNode problem(ArrayNode into, TemplateProblem p) {
    ObjectNode n = into.addObject();
    n.put("severity", p.isError() ? "error" : "warning");
    n.put("line", p.line());
    n.put("column", p.column());
    n.put("message", p.message());
    return n;
  }

  private static ObjectNode server(ServerComparison.View view) {
    ObjectNode out = JSON.createObjectNode();
    if (view instanceof ServerComparison.Compared c) {
      out.put("status", c.status());
      out.set("current", c.current() == null ? JSON.nullNode() : resource(c.current()));
    } else if (view instanceof ServerComparison.Unavailable u) {
      out.put("status", "unavailable");
      out.put("message", u.message());
    } else {
      out.put("status", "not-compared");
    }
    return out;
  }

  private static ObjectNode error(MappingDebugger.DataError e) {
    DataException x = e.error();
    ObjectNode n = JSON.createObjectNode();
    if (e.message() == null) {
      n.putNull("message");
    } else {
      n.put("message", e.message());
    }
    n.put("error", x.errorName());
    n.put("stage", x.stage().displayName());
    n.put("text", x.getMessage());
    if (e.deviceId() != null) {
      n.put("deviceId", e.deviceId());
    }
    ErrorOrigin o = x.origin();
    if (o == null) {
      n.putNull("origin");
    } else {
      ObjectNode on = n.putObject("origin");
      on.put("mapping", o.mapping());
      on.put("templateIndex", o.templateIndex());
      on.put("templateType", o.templateType());
      on.put("typeName", o.typeName());
      on.put("field", o.field());
      on.put("expression", o.expression());
      on.put("line", o.line());
      on.put("column", o.column());
    }
    return n;
  }

  private static JsonNode measurement(MappingDebugger.Normalized m) {
    try (TokenBuffer buffer = new TokenBuffer(JSON, false)) {
      MeasurementJson.write(buffer, m.measurement());
      return JSON.readTree(buffer.asParser());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode resource(Observation o) {
    try {
      return JSON.readTree(FhirResources.encode(o));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
