package io.iomt.pipeline.deadletter;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DeadLetterSink} in memory, for tests of what forwards dead letters: it keeps what it
 * accepted, in order, and can be told to refuse the next sends ({@link #refuseNext}) as an
 * unreachable destination would. One instance may stand for the destination across stage restarts:
 * {@link #close()} only counts. Thread-safe (the stage sends, the test reads).
 */
public final class InMemoryDeadLetterSink implements DeadLetterSink {
  private final List<DeadLetter> accepted = new ArrayList<>();
  private int refusals;
  private DeadLetterSinkException.Reason refusal = DeadLetterSinkException.Reason.UNAVAILABLE;
  private int sends;
  private int closes;

  /**
   * The next {@code count} calls of {@link #open} or {@link #send} accept nothing and throw with
   * {@code reason}, as a destination that is down would.
   */
  public synchronized void refuseNext(int count, DeadLetterSinkException.Reason reason) {
    refusals = count;
    refusal = reason;
  }

  @Override
  public synchronized void open() {
    refuseIfAsked("a connection");
  }

  @Override
  public synchronized void send(List<DeadLetter> deadLetters) {
    sends++;
    refuseIfAsked(deadLetters.size() + " dead letters");
    accepted.addAll(deadLetters);
  }

  private void refuseIfAsked(String what) {
    if (refusals > 0) {
      refusals--;
      throw new DeadLetterSinkException(refusal, "the in-memory destination refused " + what, null);
    }
  }

  /** Everything accepted so far, in order (duplicates included). */
  public synchronized List<DeadLetter> accepted() {
    return List.copyOf(accepted);
  }

  /** How many times {@link #send} was called, refused ones included. */
  public synchronized int sends() {
    return sends;
  }

  public synchronized int closes() {
    return closes;
  }

  @Override
  public synchronized void close() {
    closes++;
  }
}
