package io.iomt.service;

import io.iomt.core.observation.ResourceIds;
import io.iomt.fhir.FhirDestination;
import io.iomt.fhir.FhirResources;
import io.iomt.fhir.identity.ResolutionType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;

/** Reads what the connector wrote, straight from the FHIR server. */
final class FhirCounts {
  private FhirCounts() {}

  static int observations(String fhirUrl, String device) {
    FhirResources fhir = FhirDestination.of(fhirUrl, ResolutionType.CREATE).resources();
    String id = ResourceIds.of("Device", null, device);
    return FhirResources.parse(
            fhir.http().get("Observation?device=Device/" + id + "&_summary=count").body(),
            Bundle.class)
        .getTotal();
  }

  /** Polls until the device has {@code expected} Observations or 60 s passed; returns the count. */
  static int awaitObservations(String fhirUrl, String device, int expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int n = observations(fhirUrl, device);
    while (n < expected && System.nanoTime() < deadline) {
      Thread.sleep(250);
      n = observations(fhirUrl, device);
    }
    return n;
  }

  /**
   * Polls until every device has at least its expected number of Observations or {@code timeout}
   * passed; returns the last counts, device by device. A device is not read again once it has its
   * count: read them again with {@link #observations} to check that no more arrived.
   */
  static Map<String, Integer> awaitObservations(
      String fhirUrl, Map<String, Integer> expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Integer> counts = new LinkedHashMap<>();
    while (true) {
      boolean complete = true;
      for (Map.Entry<String, Integer> e : expected.entrySet()) {
        Integer known = counts.get(e.getKey());
        if (known == null || known < e.getValue()) {
          known = observations(fhirUrl, e.getKey());
          counts.put(e.getKey(), known);
        }
        complete &= known >= e.getValue();
      }
      if (complete || System.nanoTime() >= deadline) {
        return counts;
      }
      Thread.sleep(500);
    }
  }
}
