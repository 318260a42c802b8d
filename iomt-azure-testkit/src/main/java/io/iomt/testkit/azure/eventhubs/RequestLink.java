package io.iomt.testkit.azure.eventhubs;

import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.message.Message;

/**
 * The client's request link to a node ({@code $cbs}, {@code $management}): each request is answered
 * on the client's reply link named by its {@code reply-to}, correlated by its message id. Server
 * thread only.
 */
final class RequestLink implements LinkEndpoint {

  private static final int CREDIT = 50;

  private final Receiver receiver;
  private final ServerConnection connection;
  private final RequestHandler handler;

  RequestLink(Receiver receiver, ServerConnection connection, RequestHandler handler) {
    this.receiver = receiver;
    this.connection = connection;
    this.handler = handler;
  }

  @Override
  public Link link() {
    return receiver;
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
    delivery.settle();
    if (receiver.getCredit() < CREDIT / 2) {
      receiver.flow(CREDIT - receiver.getCredit());
    }
    Message request = AmqpMessages.decode(java.util.Arrays.copyOf(bytes, read));
    Message response = handler.handle(connection, request);
    response.setCorrelationId(request.getMessageId());
    connection.reply(request.getReplyTo(), AmqpMessages.encode(response));
  }
}
