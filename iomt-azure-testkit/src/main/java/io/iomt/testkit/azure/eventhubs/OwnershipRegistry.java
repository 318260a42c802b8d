package io.iomt.testkit.azure.eventhubs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The receivers open on each hub + consumer group + partition, with Event Hubs' owner-level (epoch)
 * rules: a receiver with an epoch disconnects every receiver with a lower or equal epoch and every
 * receiver without one; a receiver whose epoch is lower than an existing one, or without an epoch
 * while one with an epoch exists, is refused; up to five receivers without an epoch coexist. Server
 * thread only.
 */
final class OwnershipRegistry {

  static final int MAX_RECEIVERS_WITHOUT_EPOCH = 5;

  /** The verdict on a new receiver. */
  sealed interface Admission {
    /** Admitted; these existing receivers lose the partition. */
    record Admitted(List<PartitionReceiverLink> displaced) implements Admission {}

    /** Refused with this AMQP error condition and description. */
    record Refused(String condition, String description) implements Admission {}
  }

  private final Map<String, List<PartitionReceiverLink>> receivers = new LinkedHashMap<>();

  Admission admit(PartitionReceiverLink candidate) {
    List<PartitionReceiverLink> current =
        receivers.computeIfAbsent(candidate.registryKey(), k -> new ArrayList<>());
    Long epoch = candidate.epoch();
    Long highest =
        current.stream()
            .map(PartitionReceiverLink::epoch)
            .filter(e -> e != null)
            .max(Long::compare)
            .orElse(null);
    if (epoch == null) {
      if (highest != null) {
        return new Admission.Refused(
            "amqp:link:stolen",
            "Receiver '"
                + candidate.name()
                + "' with no epoch cannot be created because a receiver with epoch '"
                + highest
                + "' already exists.");
      }
      if (current.size() >= MAX_RECEIVERS_WITHOUT_EPOCH) {
        return new Admission.Refused(
            "amqp:resource-limit-exceeded",
            "Exceeded the maximum number of allowed receivers per partition in a consumer group"
                + " which is "
                + MAX_RECEIVERS_WITHOUT_EPOCH
                + ".");
      }
      current.add(candidate);
      return new Admission.Admitted(List.of());
    }
    if (highest != null && highest > epoch) {
      return new Admission.Refused(
          "amqp:link:stolen",
          "Receiver '"
              + candidate.name()
              + "' with epoch '"
              + epoch
              + "' cannot be created because a receiver with a higher epoch '"
              + highest
              + "' already exists.");
    }
    List<PartitionReceiverLink> displaced = List.copyOf(current);
    current.clear();
    current.add(candidate);
    return new Admission.Admitted(displaced);
  }

  void remove(PartitionReceiverLink link) {
    List<PartitionReceiverLink> current = receivers.get(link.registryKey());
    if (current != null) {
      current.remove(link);
    }
  }

  List<PartitionReceiverLink> all() {
    List<PartitionReceiverLink> all = new ArrayList<>();
    receivers.values().forEach(all::addAll);
    return all;
  }

  int active(String key) {
    List<PartitionReceiverLink> current = receivers.get(key);
    return current == null ? 0 : current.size();
  }
}
