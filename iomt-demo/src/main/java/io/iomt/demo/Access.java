package io.iomt.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * How a user reaches the running demo: the console and the management key to sign in with, HTTP
 * ingest and its key, the embedded broker and the connector's source topic. {@link #print} shows it
 * with commands that work as printed.
 *
 * @param serviceUrl {@code http://127.0.0.1:<port>}
 * @param managementKey the management API's contributor key (the console's sign-in)
 * @param ingestKey the key of {@code POST /ingest/<connector>}
 * @param bootstrapServers the embedded broker's address for Kafka clients
 * @param connector the connector's name (its ingest path)
 * @param sourceTopic the topic the connector reads (HTTP ingest writes there too)
 * @param fhirUrl the FHIR server's base URL
 */
record Access(
    URI serviceUrl,
    String managementKey,
    String ingestKey,
    String bootstrapServers,
    String connector,
    String sourceTopic,
    String fhirUrl) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code http://127.0.0.1:<port>/console/} */
  URI consoleUrl() {
    return serviceUrl.resolve("/console/");
  }

  URI ingestUrl() {
    return serviceUrl.resolve("/ingest/" + connector);
  }

  /**
   * Prints the console's URL and key, a {@code curl} line for HTTP ingest and a {@code kcat} line
   * for the broker, each with a heart rate of one of the demo's monitors at {@code now} (so each
   * makes a new Observation; sent again, the same one).
   */
  void print(PrintStream out, Instant now) {
    Instant at = now.truncatedTo(ChronoUnit.SECONDS);
    out.println("demo: the console: " + consoleUrl());
    out.println(
        "demo:   sign in with the management API key "
            + managementKey
            + " (contributor: it can save mappings and replay dead letters)");
    out.println("demo: send a device message over HTTP (it becomes an Observation of monitor-01):");
    out.println(
        "  curl -H 'X-API-Key: "
            + ingestKey
            + "' -H 'Content-Type: application/json' -d '"
            + heartRate("monitor-01", "patient-01", at, 72)
            + "' "
            + ingestUrl());
    out.println(
        "demo: or produce to the embedded Kafka broker at "
            + bootstrapServers
            + ", topic "
            + sourceTopic
            + ", with any Kafka client, e.g.:");
    out.println(
        "  echo '"
            + heartRate("monitor-02", "patient-02", at, 75)
            + "' | kcat -P -b "
            + bootstrapServers
            + " -t "
            + sourceTopic);
    out.println(
        "demo: the management API answers at "
            + serviceUrl
            + DemoConnector.IOT_CONNECTOR_ID
            + "?api-version="
            + ManagementClient.API_VERSION
            + " (same key); FHIR at "
            + fhirUrl);
    out.println("demo: serving until Ctrl-C");
    out.flush();
  }

  private static String heartRate(String device, String patient, Instant at, int rate) {
    ObjectNode body = JSON.createObjectNode();
    body.put("deviceId", device);
    body.put("patientId", patient);
    body.put("endDate", at.toString());
    body.put("heartRate", rate);
    return body.toString();
  }
}
