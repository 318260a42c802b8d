package io.iomt.demo;

import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.error.DataException;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.fhirmapping.FhirValue;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.observation.Grouper;
import io.iomt.core.observation.ObservationGroup;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a stream must become in FHIR once the connector has processed it, computed offline with the
 * connector's own engine (normalize with the device mapping, group with the FHIR mapping). The demo
 * waits for FHIR to hold this much; the numbers it prints are read back from FHIR.
 *
 * @param observations Observations the stream's measurements land in
 * @param measurements measurements those Observations hold (as {@link TypeCount} counts them)
 * @param byType the same, per measurement type
 * @param deviceIds identifiers of the devices whose Observations these are
 * @param rejected messages the device mapping rejects (the connector dead-letters them)
 */
record Expectation(
    int observations,
    int measurements,
    SortedMap<String, TypeCount> byType,
    SortedSet<String> deviceIds,
    int rejected) {

  Expectation {
    byType = Collections.unmodifiableSortedMap(new TreeMap<>(byType));
    deviceIds = Collections.unmodifiableSortedSet(new TreeSet<>(deviceIds));
  }

  static Expectation of(List<String> messages, DeviceMapping deviceMapping, FhirMapping mapping) {
    EnvelopeReader reader = new EnvelopeReader(MessageLimits.DEFAULTS);
    List<Measurement> measurements = new ArrayList<>();
    int rejected = 0;
    for (String message : messages) {
      try {
        measurements.addAll(
            deviceMapping.normalize(
                reader.envelope(message.getBytes(StandardCharsets.UTF_8), Map.of(), Map.of()),
                null));
      } catch (DataException e) {
        rejected++;
      }
    }
    SortedMap<String, TypeCount> byType = new TreeMap<>();
    SortedSet<String> devices = new TreeSet<>();
    int observations = 0;
    int values = 0;
    for (ObservationGroup group : Grouper.group(measurements, mapping).groups()) {
      int count = measurements(group);
      byType.merge(group.key().type(), new TypeCount(1, count), (a, b) -> a.plus(1, count));
      devices.add(group.key().deviceId());
      observations++;
      values += count;
    }
    return new Expectation(observations, values, byType, devices, rejected);
  }

  /** What {@link FhirCensus} will count in the group's Observation. */
  private static int measurements(ObservationGroup group) {
    if (!(group.template().value() instanceof FhirValue.SampledData sampled)) {
      return 1;
    }
    long start = group.start().toEpochMilli();
    long slots = (long) Math.floor((group.end().toEpochMilli() - start) / sampled.defaultPeriod());
    return (int)
        group.values(sampled.valueName()).keySet().stream()
            .mapToLong(t -> (long) Math.floor((t.toEpochMilli() - start) / sampled.defaultPeriod()))
            .filter(slot -> slot >= 0 && slot <= slots)
            .distinct()
            .count();
  }
}
