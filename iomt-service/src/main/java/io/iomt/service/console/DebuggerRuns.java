package io.iomt.service.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.debug.MappingDebugger;
import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.observation.ObservationFactory;
import io.iomt.service.ConnectorRuntime;
import io.iomt.service.ServiceConfiguration.ConnectorDefinition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs the debugger's requests: validation, and tests of messages with the message limits of the
 * named connector's normalize stage (the defaults without one) and, with a connector, the
 * comparison with its FHIR server ({@link ServerComparison}). Thread-safe.
 */
final class DebuggerRuns {
  private final ConnectorRuntime runtime;
  private final ServerComparison comparison;
  private final Clock clock;

  DebuggerRuns(ConnectorRuntime runtime, Clock clock) {
    this.runtime = runtime;
    this.clock = clock;
    this.comparison = new ServerComparison(clock);
  }

  /** {@code POST /api/console/mappings/validate}. */
  ObjectNode validate(JsonNode body) {
    return DebuggerAnswers.validation(
        MappingDebugger.validate(
            DebuggerRequests.mapping(body, "deviceMapping"),
            DebuggerRequests.mapping(body, "fhirMapping")));
  }

  /** {@code POST /api/console/mappings/test}. */
  ObjectNode test(JsonNode body) {
    byte[] device = DebuggerRequests.requiredMapping(body, "deviceMapping");
    byte[] fhir = DebuggerRequests.requiredMapping(body, "fhirMapping");
    List<MappingDebugger.Message> messages = DebuggerRequests.messages(body);
    String name = DebuggerRequests.text(body, "connector");
    ConnectorDefinition connector =
        name == null
            ? null
            : runtime.definition(name).orElseThrow(() -> DebuggerRefusal.notFound(name));
    MessageLimits limits =
        connector == null || connector.settings().limits() == null
            ? MessageLimits.DEFAULTS
            : connector.settings().limits();
    ObservationFactory factory = new ObservationFactory(clock);
    MappingDebugger.Outcome outcome =
        new MappingDebugger(new EnvelopeReader(limits), factory).test(device, fhir, messages);
    List<ServerComparison.View> views = new ArrayList<>();
    if (outcome instanceof MappingDebugger.Ran ran) {
      if (connector == null || connector.destination() == null) {
        views.addAll(
            Collections.nCopies(ran.observations().size(), new ServerComparison.NotCompared()));
      } else {
        views.addAll(comparison.compare(connector.destination(), ran.observations(), factory));
      }
    }
    return DebuggerAnswers.test(outcome, views);
  }
}
