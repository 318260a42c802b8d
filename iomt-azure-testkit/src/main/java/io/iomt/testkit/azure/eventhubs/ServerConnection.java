package io.iomt.testkit.azure.eventhubs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.engine.Collector;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Event;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.SaslListener;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.engine.Transport;
import org.apache.qpid.proton.engine.TransportException;

/**
 * One client connection: the proton-j transport over its socket (SASL ANONYMOUS/PLAIN/MSSBCBS, all
 * accepted: authorization is by {@code $cbs} tokens), the dispatch of engine events to the links'
 * endpoints, and the audiences the connection was granted. Server thread only.
 */
final class ServerConnection {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ServerConnection.class);

  private final SocketChannel channel;
  private final Transport transport = Proton.transport();
  private final Connection connection = Proton.connection();
  private final Collector collector = Proton.collector();
  private final ServerContext context;
  private final LinkRouter router;
  private final Map<Link, LinkEndpoint> endpoints = new HashMap<>();
  private final Map<String, Instant> grants = new HashMap<>();
  private boolean closed;

  ServerConnection(SocketChannel channel, ServerContext context, Runnable onAppended) {
    this.channel = channel;
    this.context = context;
    this.router = new LinkRouter(this, context, onAppended);
    Sasl sasl = transport.sasl();
    sasl.server();
    sasl.setMechanisms("ANONYMOUS", "PLAIN", "MSSBCBS");
    sasl.setListener(new AcceptingSasl());
    connection.collect(collector);
    transport.bind(connection);
    context.connectionsOpened.incrementAndGet();
  }

  SocketChannel channel() {
    return channel;
  }

  boolean isClosed() {
    return closed;
  }

  /** Reads what the socket has, processes it and the resulting events, writes the output. */
  void onReadable() {
    try {
      while (!closed) {
        int capacity = transport.capacity();
        if (capacity <= 0) {
          break;
        }
        ByteBuffer tail = transport.tail();
        int read = channel.read(tail);
        if (read < 0) {
          transport.close_tail();
          break;
        }
        if (read == 0) {
          break;
        }
        transport.process();
      }
    } catch (IOException | TransportException e) {
      transport.close_tail();
    }
    process();
  }

  /**
   * Dispatches pending engine events and writes pending output; closes when the transport is done.
   */
  void process() {
    Event event;
    while ((event = collector.peek()) != null) {
      try {
        dispatch(event);
      } catch (RuntimeException e) {
        LOG.warn("closing the connection after an error handling {}", event.getType(), e);
        transport.close_tail();
        transport.close_head();
      }
      collector.pop();
    }
    flush();
  }

  long tick(long now) {
    try {
      return transport.tick(now);
    } catch (TransportException e) {
      transport.close_tail();
      return 0;
    }
  }

  boolean wantsWrite() {
    return transport.pending() > 0;
  }

  private void flush() {
    try {
      while (!closed) {
        int pending = transport.pending();
        if (pending < 0) {
          close();
          return;
        }
        if (pending == 0) {
          return;
        }
        ByteBuffer head = transport.head();
        int written = channel.write(head);
        if (written <= 0) {
          return;
        }
        transport.pop(written);
      }
    } catch (IOException e) {
      transport.close_head();
      close();
    }
  }

  private void dispatch(Event event) {
    switch (event.getType()) {
      case CONNECTION_REMOTE_OPEN -> {
        connection.setContainer("iomt-eventhubs-test-server");
        connection.open();
      }
      case CONNECTION_REMOTE_CLOSE -> connection.close();
      case SESSION_REMOTE_OPEN -> {
        Session session = event.getSession();
        session.setIncomingCapacity(16 * 1024 * 1024);
        session.open();
      }
      case SESSION_REMOTE_CLOSE -> event.getSession().close();
      case LINK_REMOTE_OPEN -> {
        Link link = event.getLink();
        if (link.getLocalState() == EndpointState.UNINITIALIZED) {
          router.attach(link).ifPresent(endpoint -> endpoints.put(link, endpoint));
        }
      }
      case LINK_REMOTE_CLOSE, LINK_REMOTE_DETACH -> {
        Link link = event.getLink();
        LinkEndpoint endpoint = endpoints.remove(link);
        if (endpoint != null) {
          endpoint.onClosed();
        }
        if (link.getLocalState() != EndpointState.CLOSED) {
          link.close();
        }
      }
      case LINK_FLOW -> endpoint(event.getLink()).ifPresent(LinkEndpoint::onFlow);
      case DELIVERY -> {
        Delivery delivery = event.getDelivery();
        endpoint(delivery.getLink()).ifPresent(e -> e.onDelivery(delivery));
      }
      case TRANSPORT_CLOSED -> close();
      default -> {}
    }
  }

  private java.util.Optional<LinkEndpoint> endpoint(Link link) {
    return java.util.Optional.ofNullable(endpoints.get(link));
  }

  void grant(Authorization.Granted granted) {
    grants.merge(granted.audiencePath(), granted.expiresAt(), (a, b) -> a.isAfter(b) ? a : b);
  }

  /** Whether a granted, unexpired token covers this entity. */
  boolean isAuthorized(String entityPath) {
    Instant now = context.clock().instant();
    return grants.entrySet().stream()
        .anyMatch(g -> g.getValue().isAfter(now) && EntityPaths.covers(g.getKey(), entityPath));
  }

  /** Sends a response on the reply link whose address is {@code replyTo}. */
  void reply(String replyTo, byte[] response) {
    endpoints.values().stream()
        .filter(e -> e instanceof ReplyLink r && r.address().equals(replyTo))
        .map(ReplyLink.class::cast)
        .findFirst()
        .ifPresent(r -> r.send(response));
  }

  /** Drops every grant and detaches every event link with {@code amqp:unauthorized-access}. */
  void revokeAccess() {
    grants.clear();
    List<LinkEndpoint> eventLinks = new ArrayList<>();
    endpoints.values().stream().filter(LinkEndpoint::carriesEvents).forEach(eventLinks::add);
    for (LinkEndpoint endpoint : eventLinks) {
      endpoints.remove(endpoint.link());
      endpoint.detach(
          "amqp:unauthorized-access",
          "Unauthorized access. The token or key for '"
              + endpoint.link().getName()
              + "' was revoked.");
    }
    process();
  }

  /** Closes the AMQP connection (if open) and the socket. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    endpoints.values().forEach(LinkEndpoint::onClosed);
    endpoints.clear();
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /**
   * Closes the AMQP connection gracefully (server shutdown), writing the close frame if possible.
   */
  void shutdown() {
    if (!closed && connection.getLocalState() == EndpointState.ACTIVE) {
      connection.close();
      process();
    }
    close();
  }

  private static final class AcceptingSasl implements SaslListener {
    @Override
    public void onSaslMechanisms(Sasl sasl, Transport transport) {}

    @Override
    public void onSaslInit(Sasl sasl, Transport transport) {
      sasl.done(Sasl.SaslOutcome.PN_SASL_OK);
    }

    @Override
    public void onSaslChallenge(Sasl sasl, Transport transport) {}

    @Override
    public void onSaslResponse(Sasl sasl, Transport transport) {}

    @Override
    public void onSaslOutcome(Sasl sasl, Transport transport) {}
  }
}
