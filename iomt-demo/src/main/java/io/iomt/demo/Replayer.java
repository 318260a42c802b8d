package io.iomt.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Replays messages through an {@link IngestClient}: {@code chunkSize} messages per request, {@code
 * parallelism} requests in flight, as fast as the service accepts them.
 */
final class Replayer {
  private final IngestClient client;
  private final int chunkSize;
  private final int parallelism;

  Replayer(IngestClient client, int chunkSize, int parallelism) {
    this.client = client;
    this.chunkSize = chunkSize;
    this.parallelism = parallelism;
  }

  /**
   * Sends every message and returns how many the service accepted; {@code progress} hears the
   * running total (from the sending threads).
   *
   * @throws IllegalStateException on the first request the service refuses (the rest is not sent)
   */
  int replay(List<String> messages, IntConsumer progress) throws InterruptedException {
    AtomicInteger accepted = new AtomicInteger();
    ExecutorService senders =
        Executors.newFixedThreadPool(
            parallelism,
            task -> {
              Thread thread = new Thread(task, "iomt-demo-ingest");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int from = 0; from < messages.size(); from += chunkSize) {
        List<String> chunk = messages.subList(from, Math.min(messages.size(), from + chunkSize));
        sent.add(
            senders.submit(
                () -> {
                  progress.accept(accepted.addAndGet(client.post(chunk)));
                  return null;
                }));
      }
      for (Future<?> request : sent) {
        request.get();
      }
      return accepted.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      senders.shutdownNow();
    }
  }
}
