package io.iomt.core.observation;

import io.iomt.core.measurement.Measurement;

/**
 * What measurements must share to land in one Observation: device, type, patient, encounter and
 * correlation id (nulls allowed for the optional ones).
 */
public record GroupKey(
    String type, String deviceId, String patientId, String encounterId, String correlationId) {

  static GroupKey of(Measurement m) {
    return new GroupKey(m.type(), m.deviceId(), m.patientId(), m.encounterId(), m.correlationId());
  }
}
