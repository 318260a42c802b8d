package io.iomt.testkit.azure.eventhubs;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Sender;

/**
 * The client's reply link from a node: responses are sent pre-settled as credit allows, queued
 * until then. Server thread only.
 */
final class ReplyLink implements LinkEndpoint {

  private final Sender sender;
  private final String address;
  private final Queue<byte[]> pending = new ArrayDeque<>();
  private long tag;

  ReplyLink(Sender sender, String address) {
    this.sender = sender;
    this.address = address;
  }

  @Override
  public Link link() {
    return sender;
  }

  /** The client's address for responses (its link's target, the requests' {@code reply-to}). */
  String address() {
    return address;
  }

  void send(byte[] response) {
    pending.add(response);
    onFlow();
  }

  @Override
  public void onFlow() {
    while (!pending.isEmpty()
        && sender.getLocalState() == EndpointState.ACTIVE
        && sender.getCredit() > 0) {
      byte[] bytes = pending.remove();
      var delivery = sender.delivery(ByteBuffer.allocate(Long.BYTES).putLong(tag++).array());
      sender.send(bytes, 0, bytes.length);
      sender.advance();
      delivery.settle();
    }
  }
}
