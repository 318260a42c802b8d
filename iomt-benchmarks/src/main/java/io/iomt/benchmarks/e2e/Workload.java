package io.iomt.benchmarks.e2e;

import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.observation.GroupKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;

/**
 * One data set of the load: heart-rate messages of {@code devices} devices (each with its own
 * patient), in the shape of the sample device mapping ({@code samples/device-mapping.json}).
 * Message {@code i} belongs to device {@code i % devices} and is that device's {@code (first + i /
 * devices)}-th reading, one second apart: every message has its own timestamp and so becomes its
 * own Observation (the heart-rate template's period is {@code Single}).
 *
 * <p>Device and patient ids are {@code <prefix>-d0000} and {@code <prefix>-p0000}: data sets with
 * prefixes of equal length give Observations of equal size that differ only in their ids and
 * references.
 */
record Workload(String prefix, int devices, int first, int count) {
  static final String TYPE = "heartrate";
  static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

  String device(int d) {
    return String.format(Locale.ROOT, "%s-d%04d", prefix, d);
  }

  String patient(int d) {
    return String.format(Locale.ROOT, "%s-p%04d", prefix, d);
  }

  /** The next {@code count} readings of the same devices: distinct timestamps, same identities. */
  Workload next(int count) {
    return new Workload(prefix, devices, first + (this.count + devices - 1) / devices, count);
  }

  /** The group key of device {@code d}, as the connector groups its measurements. */
  GroupKey key(int d) {
    return new GroupKey(TYPE, device(d), patient(d), null, null);
  }

  int deviceOf(int i) {
    return i % devices;
  }

  /** The message body of reading {@code i}. */
  byte[] body(int i) {
    int d = deviceOf(i);
    Instant at = BASE.plusSeconds(first + (long) (i / devices));
    return ("{\"deviceId\":\""
            + device(d)
            + "\",\"patientId\":\""
            + patient(d)
            + "\",\"endDate\":\""
            + at
            + "\",\"heartRate\":"
            + (50 + (i * 7) % 90)
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Kafka's default partition of a record keyed by device {@code d}'s id. */
  int partitionOf(int d, int partitions) {
    return Utils.toPositive(Utils.murmur2(device(d).getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /**
   * The measurements the connector's normalize stage makes of these messages (the same mapping on
   * the same bodies), by partition of the normalized topic, each partition in message order.
   */
  List<List<Measurement>> measurementsByPartition(DeviceMapping mapping, int partitions) {
    EnvelopeReader reader = new EnvelopeReader(MessageLimits.DEFAULTS);
    List<List<Measurement>> out = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      out.add(new ArrayList<>());
    }
    Instant ingested = Instant.now();
    for (int i = 0; i < count; i++) {
      List<Measurement> ms =
          mapping.normalize(reader.envelope(body(i), Map.of(), Map.of()), ingested);
      if (ms.size() != 1) {
        throw new IllegalStateException(
            "message " + i + " became " + ms.size() + " measurements, expected 1");
      }
      out.get(partitionOf(deviceOf(i), partitions)).add(ms.get(0));
    }
    return out;
  }
}
