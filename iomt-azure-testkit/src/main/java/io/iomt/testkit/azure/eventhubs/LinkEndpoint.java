package io.iomt.testkit.azure.eventhubs;

import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Link;

/** The server's side of one attached link. Server thread only. */
sealed interface LinkEndpoint
    permits PartitionReceiverLink, IncomingEventLink, RequestLink, ReplyLink {

  Link link();

  /** The peer granted credit (or changed it). */
  default void onFlow() {}

  /** A transfer arrived, or the peer updated a delivery's state. */
  default void onDelivery(Delivery delivery) {}

  /** The link is gone (closed by either side, or its connection): release what it holds. */
  default void onClosed() {}

  /** Whether this link carries events (and so is cut off when access is revoked). */
  default boolean carriesEvents() {
    return false;
  }

  /** Detaches the link with an AMQP error. */
  default void detach(String condition, String description) {
    Link link = link();
    if (link.getLocalState() != EndpointState.CLOSED) {
      link.setCondition(new ErrorCondition(Symbol.valueOf(condition), description));
      link.close();
    }
    onClosed();
  }
}
