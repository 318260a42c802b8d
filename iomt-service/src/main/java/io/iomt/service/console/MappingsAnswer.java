package io.iomt.service.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.service.management.StoredResource;

/** The answer of GET and PUT {@code /api/console/connectors/{name}/mappings}. */
final class MappingsAnswer {
  private MappingsAnswer() {}

  static ObjectNode of(ConnectorMappings.Mappings m) {
    ObjectNode out = DebuggerAnswers.JSON.createObjectNode();
    out.put("connector", m.connector());
    out.put("origin", m.fromConfiguration() ? "configuration" : "management");
    out.put("deviceMapping", m.deviceMapping());
    out.put("fhirMapping", m.fhirMapping());
    if (m.fromConfiguration()) {
      out.putNull("management");
      return out;
    }
    ObjectNode management = out.putObject("management");
    StoredResource c = m.iotConnector();
    StoredResource d = m.fhirDestination();
    management.put("iotConnectorId", c.id().toString());
    management.put("fhirDestinationId", d == null ? null : d.id().toString());
    management.put("iotConnectorEtag", c.etag());
    management.put("fhirDestinationEtag", d == null ? null : d.etag());
    management.put("iotConnectorProvisioningState", c.provisioningState());
    management.put("fhirDestinationProvisioningState", d == null ? null : d.provisioningState());
    return out;
  }
}
