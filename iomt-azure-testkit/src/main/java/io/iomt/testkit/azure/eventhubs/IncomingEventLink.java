package io.iomt.testkit.azure.eventhubs;

import java.util.List;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.message.Message;

/**
 * A producer's sender on {@code <hub>} (the server picks the partition: by partition key, else
 * round robin; a batch stays together) or {@code <hub>/Partitions/<id>}: stores each message, or
 * each message of a batch transfer, and accepts the transfer. Server thread only.
 */
final class IncomingEventLink implements LinkEndpoint {

  static final int CREDIT = 100;

  private final Receiver receiver;
  private final EventHub hub;
  private final PartitionLog fixedPartition;
  private final Runnable onAppended;

  /** {@code fixedPartition} is null for sends to the hub itself. */
  IncomingEventLink(
      Receiver receiver, EventHub hub, PartitionLog fixedPartition, Runnable onAppended) {
    this.receiver = receiver;
    this.hub = hub;
    this.fixedPartition = fixedPartition;
    this.onAppended = onAppended;
  }

  @Override
  public Link link() {
    return receiver;
  }

  @Override
  public boolean carriesEvents() {
    return true;
  }

  void grantCredit() {
    receiver.flow(CREDIT);
  }

  @Override
  public void onDelivery(Delivery delivery) {
    if (!delivery.isReadable() || delivery.isPartial()) {
      return;
    }
    byte[] bytes = new byte[delivery.pending()];
    int read = receiver.recv(bytes, 0, bytes.length);
    receiver.advance();
    List<Message> messages =
        AmqpMessages.unpack(java.util.Arrays.copyOf(bytes, read), delivery.getMessageFormat());
    List<TestEvent> events = messages.stream().map(AmqpMessages::toEvent).toList();
    if (!events.isEmpty()) {
      PartitionLog partition =
          fixedPartition != null ? fixedPartition : hub.partitionFor(events.get(0).partitionKey());
      events.forEach(partition::append);
    }
    delivery.disposition(Accepted.getInstance());
    delivery.settle();
    if (receiver.getCredit() < CREDIT / 2) {
      receiver.flow(CREDIT - receiver.getCredit());
    }
    onAppended.run();
  }
}
