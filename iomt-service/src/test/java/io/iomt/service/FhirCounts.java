package io.iomt.service;

import io.iomt.testkit.Await;
import io.iomt.testkit.FhirObservations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Waits for what the connector writes, reading it straight from the FHIR server with {@link
 * FhirObservations}. The waits stop at the expected count, not after it, so that a test can then
 * assert the exact count and see duplicates.
 */
final class FhirCounts {
  private FhirCounts() {}

  /**
   * Waits until the device has at least {@code expected} Observations (at most 60 s) and returns
   * the count.
   *
   * @throws AssertionError if the count stays below {@code expected} for 60 s
   */
  static int awaitObservations(String fhirUrl, String device, int expected) {
    return Await.atMost(Duration.ofSeconds(60))
        .every(Duration.ofMillis(250))
        .until(
            "Observations of " + device + " (at least " + expected + ")",
            () -> FhirObservations.countOfDevice(fhirUrl, device),
            n -> n >= expected);
  }

  /**
   * Waits until every device has at least its expected number of Observations (at most {@code
   * timeout}) and returns the counts, device by device. A device is not read again once it has its
   * count: read them again with {@link FhirObservations#countOfDevice} to check that no more
   * arrived.
   *
   * @throws AssertionError if a device's count stays below its expected one for {@code timeout};
   *     the message shows the last counts
   */
  static Map<String, Integer> awaitObservations(
      String fhirUrl, Map<String, Integer> expected, Duration timeout) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    return Await.atMost(timeout)
        .every(Duration.ofMillis(500))
        .until(
            "Observations per device, expected " + expected,
            () -> {
              for (Map.Entry<String, Integer> e : expected.entrySet()) {
                Integer known = counts.get(e.getKey());
                if (known == null || known < e.getValue()) {
                  counts.put(e.getKey(), FhirObservations.countOfDevice(fhirUrl, e.getKey()));
                }
              }
              return new LinkedHashMap<>(counts);
            },
            read ->
                expected.entrySet().stream().allMatch(e -> read.get(e.getKey()) >= e.getValue()));
  }
}
