package io.iomt.testkit.azure.eventhubs;

import java.nio.ByteBuffer;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Sender;

/**
 * A consumer's receiver on {@code <hub>/ConsumerGroups/<cg>/Partitions/<id>}: delivers the
 * partition's events from its start position as credit allows, unsettled, and settles each once the
 * client settles it. With the runtime metric capability it adds the partition's last enqueued event
 * to every delivery's annotations. Server thread only.
 */
final class PartitionReceiverLink implements LinkEndpoint {

  static final Symbol EPOCH = Symbol.valueOf("com.microsoft:epoch");
  static final Symbol RUNTIME_METRIC =
      Symbol.valueOf("com.microsoft:enable-receiver-runtime-metric");

  private final Sender sender;
  private final PartitionLog log;
  private final String registryKey;
  private final Long epoch;
  private final boolean runtimeMetric;
  private final ServerContext context;
  private long next;
  private long tag;
  private boolean closed;

  PartitionReceiverLink(
      Sender sender,
      PartitionLog log,
      String registryKey,
      Long epoch,
      boolean runtimeMetric,
      long firstIndex,
      ServerContext context) {
    this.sender = sender;
    this.log = log;
    this.registryKey = registryKey;
    this.epoch = epoch;
    this.runtimeMetric = runtimeMetric;
    this.next = firstIndex;
    this.context = context;
  }

  @Override
  public Link link() {
    return sender;
  }

  String name() {
    return sender.getName();
  }

  String registryKey() {
    return registryKey;
  }

  Long epoch() {
    return epoch;
  }

  @Override
  public boolean carriesEvents() {
    return true;
  }

  @Override
  public void onFlow() {
    pump();
  }

  /** Sends what the partition holds beyond what was sent, as far as the credit goes. */
  void pump() {
    while (!closed && sender.getLocalState() == EndpointState.ACTIVE && sender.getCredit() > 0) {
      Optional<StoredEvent> event = log.at(next);
      if (event.isEmpty()) {
        return;
      }
      byte[] bytes =
          AmqpMessages.encode(AmqpMessages.toMessage(event.get(), deliveryAnnotations()));
      sender.delivery(ByteBuffer.allocate(Long.BYTES).putLong(tag++).array());
      sender.send(bytes, 0, bytes.length);
      sender.advance();
      next++;
    }
  }

  private Map<Symbol, Object> deliveryAnnotations() {
    if (!runtimeMetric) {
      return null;
    }
    Map<Symbol, Object> annotations = new HashMap<>();
    Optional<StoredEvent> last = log.last();
    annotations.put(
        Symbol.valueOf("last_enqueued_sequence_number"),
        last.map(StoredEvent::sequenceNumber).orElse(-1L));
    annotations.put(
        Symbol.valueOf("last_enqueued_offset"), last.map(StoredEvent::offsetString).orElse("-1"));
    annotations.put(
        Symbol.valueOf("last_enqueued_time_utc"),
        Date.from(last.map(StoredEvent::enqueuedTime).orElse(java.time.Instant.EPOCH)));
    annotations.put(
        Symbol.valueOf("runtime_info_retrieval_time_utc"), Date.from(context.clock().instant()));
    return annotations;
  }

  @Override
  public void onDelivery(Delivery delivery) {
    if (delivery.remotelySettled() && !delivery.isSettled()) {
      delivery.settle();
    }
  }

  @Override
  public void onClosed() {
    if (!closed) {
      closed = true;
      context.ownership().remove(this);
    }
  }
}
