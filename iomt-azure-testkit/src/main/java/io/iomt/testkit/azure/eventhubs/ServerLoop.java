package io.iomt.testkit.azure.eventhubs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * The server thread: accepts connections on a loopback port, drives every connection's proton-j
 * transport from a selector, and runs work handed in by other threads ({@link #call}). All engine
 * state is touched on this thread only.
 */
final class ServerLoop implements Runnable {

  private final ServerContext context;
  private final Selector selector;
  private final ServerSocketChannel acceptor;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final List<ServerConnection> connections = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopping;

  ServerLoop(ServerContext context) {
    this.context = context;
    try {
      selector = Selector.open();
      acceptor = ServerSocketChannel.open();
      acceptor.bind(new InetSocketAddress("127.0.0.1", 0));
      acceptor.configureBlocking(false);
      acceptor.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the Event Hubs test server's port", e);
    }
    thread = new Thread(this, "eventhubs-test-server-" + port());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  int port() {
    return acceptor.socket().getLocalPort();
  }

  /** Runs the work on the server thread and waits for its result. */
  <T> T call(Supplier<T> work) {
    if (Thread.currentThread() == thread) {
      return work.get();
    }
    if (stopping) {
      throw new IllegalStateException("the Event Hubs test server is closed");
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    tasks.add(
        () -> {
          try {
            result.complete(work.get());
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    selector.wakeup();
    return result.join();
  }

  /** Lets every partition receiver send what is new (after events were appended). */
  void pumpAll() {
    if (Thread.currentThread() == thread) {
      context.ownership().all().forEach(PartitionReceiverLink::pump);
    } else {
      tasks.add(() -> context.ownership().all().forEach(PartitionReceiverLink::pump));
      selector.wakeup();
    }
  }

  /** Revokes access on every connection (server thread). */
  void revokeAll() {
    call(
        () -> {
          connections.forEach(ServerConnection::revokeAccess);
          return null;
        });
  }

  int openConnections() {
    return call(() -> (int) connections.stream().filter(c -> !c.isClosed()).count());
  }

  @Override
  public void run() {
    try {
      while (!stopping) {
        long now = System.currentTimeMillis();
        long deadline = now + 1000;
        for (ServerConnection connection : connections) {
          long next = connection.tick(now);
          if (next > 0) {
            deadline = Math.min(deadline, next);
          }
          connection.process();
        }
        connections.removeIf(ServerConnection::isClosed);
        for (ServerConnection connection : connections) {
          SelectionKey key = connection.channel().keyFor(selector);
          if (key != null && key.isValid()) {
            key.interestOps(
                SelectionKey.OP_READ | (connection.wantsWrite() ? SelectionKey.OP_WRITE : 0));
          }
        }
        selector.select(Math.max(1, deadline - System.currentTimeMillis()));
        Runnable task;
        while ((task = tasks.poll()) != null) {
          task.run();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            accept();
          } else if (key.attachment() instanceof ServerConnection connection) {
            connection.onReadable();
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      connections.forEach(ServerConnection::shutdown);
      connections.clear();
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
      try {
        acceptor.close();
        selector.close();
      } catch (IOException ignored) {
        // shutting down
      }
    }
  }

  private void accept() throws IOException {
    SocketChannel channel;
    while ((channel = acceptor.accept()) != null) {
      channel.configureBlocking(false);
      channel.socket().setTcpNoDelay(true);
      ServerConnection connection = new ServerConnection(channel, context, this::pumpAll);
      channel.register(selector, SelectionKey.OP_READ, connection);
      connections.add(connection);
    }
  }

  /** Stops the thread after closing every connection, and waits for it. */
  void stop() {
    stopping = true;
    selector.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
