package io.iomt.testkit.azure.eventhubs;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.qpid.proton.amqp.DescribedType;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sender;

/**
 * Decides what an attaching link is, by its address: {@code $cbs} and {@code $management} request
 * and reply links, partition receivers ({@code <hub>/ConsumerGroups/<cg>/Partitions/<id>}) and
 * producers ({@code <hub>}, {@code <hub>/Partitions/<id>}); refuses the rest, unknown entities
 * ({@code amqp:not-found}), unauthorized ones ({@code amqp:unauthorized-access}) and receivers the
 * epoch rules exclude ({@code amqp:link:stolen}). Server thread only.
 */
final class LinkRouter {

  static final Symbol SELECTOR_FILTER = Symbol.valueOf("apache.org:selector-filter:string");
  static final long MAX_MESSAGE_SIZE = 1024 * 1024;

  private final ServerConnection connection;
  private final ServerContext context;
  private final Runnable onAppended;

  LinkRouter(ServerConnection connection, ServerContext context, Runnable onAppended) {
    this.connection = connection;
    this.context = context;
    this.onAppended = onAppended;
  }

  Optional<LinkEndpoint> attach(Link link) {
    link.setSenderSettleMode(link.getRemoteSenderSettleMode());
    link.setReceiverSettleMode(link.getRemoteReceiverSettleMode());
    if (link instanceof Sender sender) {
      Source source = (Source) sender.getRemoteSource();
      String address = source == null ? "" : source.getAddress();
      return address.equals("$cbs") || address.equals("$management")
          ? Optional.of(openReply(sender))
          : attachPartitionReceiver(sender, address);
    }
    Receiver receiver = (Receiver) link;
    Target target = (Target) receiver.getRemoteTarget();
    String address = target == null ? "" : target.getAddress();
    if (address.equals("$cbs") || address.equals("$management")) {
      RequestHandler handler =
          address.equals("$cbs") ? new CbsNode(context) : new ManagementNode(context);
      open(receiver);
      RequestLink request = new RequestLink(receiver, connection, handler);
      request.grantCredit();
      return Optional.of(request);
    }
    return attachProducer(receiver, address);
  }

  private ReplyLink openReply(Sender sender) {
    open(sender);
    Target target = (Target) sender.getRemoteTarget();
    return new ReplyLink(sender, target == null ? "" : target.getAddress());
  }

  private Optional<LinkEndpoint> attachPartitionReceiver(Sender sender, String address) {
    String[] parts = address.split("/");
    if (parts.length != 5
        || !parts[1].equalsIgnoreCase("ConsumerGroups")
        || !parts[3].equalsIgnoreCase("Partitions")) {
      return refuse(sender, "amqp:not-found", context.notFound(address));
    }
    Optional<EventHub> hub = context.hub(parts[0]);
    if (hub.isEmpty()) {
      return refuse(sender, "amqp:not-found", context.notFound(parts[0]));
    }
    if (!hub.get().hasConsumerGroup(parts[2])) {
      return refuse(
          sender, "amqp:not-found", context.notFound(parts[0] + "/ConsumerGroups/" + parts[2]));
    }
    Optional<PartitionLog> partition = hub.get().partition(parts[4]);
    if (partition.isEmpty()) {
      return refuse(
          sender,
          "com.microsoft:argument-out-of-range",
          "The specified partition is invalid for an EventHub partition sender or receiver."
              + " It should be between 0 and "
              + (hub.get().partitions().size() - 1)
              + ".");
    }
    if (!connection.isAuthorized(address)) {
      return refuse(
          sender, "amqp:unauthorized-access", "Unauthorized access to '" + address + "'.");
    }
    StartPosition start;
    try {
      start = StartPosition.parse(selector(sender.getRemoteSource()));
    } catch (IllegalArgumentException e) {
      return refuse(sender, "com.microsoft:argument-error", e.getMessage());
    }
    Map<Symbol, Object> properties = sender.getRemoteProperties();
    Object epoch = properties == null ? null : properties.get(PartitionReceiverLink.EPOCH);
    Symbol[] desired = sender.getRemoteDesiredCapabilities();
    boolean runtimeMetric =
        desired != null && Arrays.asList(desired).contains(PartitionReceiverLink.RUNTIME_METRIC);
    String key = ServerContext.receiverKey(parts[0], parts[2], parts[4]);
    PartitionReceiverLink receiver =
        new PartitionReceiverLink(
            sender,
            partition.get(),
            key,
            epoch instanceof Number n ? n.longValue() : null,
            runtimeMetric,
            start.firstIndex(partition.get()),
            context);
    OwnershipRegistry.Admission admission = context.ownership().admit(receiver);
    if (admission instanceof OwnershipRegistry.Admission.Refused refused) {
      return refuse(sender, refused.condition(), refused.description());
    }
    for (PartitionReceiverLink displaced :
        ((OwnershipRegistry.Admission.Admitted) admission).displaced()) {
      displaced.detach(
          "amqp:link:stolen",
          "New receiver '"
              + receiver.name()
              + "' with higher epoch of '"
              + receiver.epoch()
              + "' is created hence current receiver '"
              + displaced.name()
              + "' with epoch '"
              + displaced.epoch()
              + "' is getting disconnected.");
    }
    if (runtimeMetric) {
      sender.setOfferedCapabilities(new Symbol[] {PartitionReceiverLink.RUNTIME_METRIC});
    }
    open(sender);
    context.countReceiverAttached(key);
    return Optional.of(receiver);
  }

  private Optional<LinkEndpoint> attachProducer(Receiver receiver, String address) {
    String[] parts = address.split("/");
    Optional<EventHub> hub = context.hub(parts[0]);
    if (hub.isEmpty()) {
      return refuse(receiver, "amqp:not-found", context.notFound(parts[0]));
    }
    PartitionLog fixed = null;
    if (parts.length == 3 && parts[1].equalsIgnoreCase("Partitions")) {
      fixed = hub.get().partition(parts[2]).orElse(null);
      if (fixed == null) {
        return refuse(
            receiver,
            "com.microsoft:argument-out-of-range",
            "The specified partition is invalid for an EventHub partition sender or receiver.");
      }
    } else if (parts.length != 1) {
      return refuse(receiver, "amqp:not-found", context.notFound(address));
    }
    if (!connection.isAuthorized(address)) {
      return refuse(
          receiver, "amqp:unauthorized-access", "Unauthorized access to '" + address + "'.");
    }
    receiver.setMaxMessageSize(UnsignedLong.valueOf(MAX_MESSAGE_SIZE));
    open(receiver);
    IncomingEventLink producer = new IncomingEventLink(receiver, hub.get(), fixed, onAppended);
    producer.grantCredit();
    return Optional.of(producer);
  }

  private static String selector(org.apache.qpid.proton.amqp.transport.Source remote) {
    if (!(remote instanceof Source source) || source.getFilter() == null) {
      return null;
    }
    Object filter = source.getFilter().get(SELECTOR_FILTER);
    if (filter instanceof DescribedType described) {
      return String.valueOf(described.getDescribed());
    }
    return filter == null ? null : filter.toString();
  }

  private static void open(Link link) {
    link.setSource(link.getRemoteSource());
    link.setTarget(link.getRemoteTarget());
    link.open();
  }

  /** Attaches with no terminus (as AMQP prescribes for a refusal), then detaches with the error. */
  private static Optional<LinkEndpoint> refuse(Link link, String condition, String description) {
    if (link instanceof Sender) {
      link.setSource(null);
      link.setTarget(link.getRemoteTarget());
    } else {
      link.setSource(link.getRemoteSource());
      link.setTarget(null);
    }
    link.open();
    link.setCondition(new ErrorCondition(Symbol.valueOf(condition), description));
    link.close();
    return Optional.empty();
  }
}
