package io.iomt.pipeline.deadletter;

import java.util.List;

/**
 * A destination outside the connector that receives copies of its dead letters (e.g. a customer's
 * Azure Event Hub).
 *
 * <p>Contract: {@link #send} returns only once the destination has durably accepted every dead
 * letter of the list; it throws otherwise, and then any of them may or may not have arrived (the
 * stage sends them all again later, so the destination may see one twice). A dead letter too large
 * for the destination is sent cut to fit, never refused. Order within a list is kept for dead
 * letters of the same key.
 *
 * <p>Lifecycle and threads: made by a factory each time the forwarding stage starts, {@link
 * #open()} once, then {@link #send} any number of times, then {@link #close()}, all from that
 * stage's thread. Not thread-safe.
 */
public interface DeadLetterSink extends AutoCloseable {
  /**
   * Connects and checks that the destination takes messages (reachable, credentials accepted, the
   * destination exists), so that a wrong configuration shows at start, before any dead letter.
   *
   * @throws DeadLetterSinkException when it does not
   */
  void open();

  /**
   * Sends the dead letters and waits until the destination accepted all of them.
   *
   * @param deadLetters in the order they were read; may be empty
   * @throws DeadLetterSinkException when the destination did not accept them (unreachable,
   *     credentials refused, not found): the caller commits nothing and tries again later
   */
  void send(List<DeadLetter> deadLetters);

  /** Releases the connection; never throws. */
  @Override
  void close();
}
