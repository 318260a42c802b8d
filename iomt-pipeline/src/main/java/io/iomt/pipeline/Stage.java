package io.iomt.pipeline;

/**
 * A stage of a connector: a loop that one thread runs until {@link #close()} (which may be called
 * from any thread) makes it return. {@link #status()} is safe to read from any thread at any time.
 * A stage that throws from {@link #run()} is done; its supervisor builds a new one with new
 * clients.
 */
public interface Stage extends Runnable, AutoCloseable {
  StageName name();

  StageStatus status();

  /** Asks the loop to end; {@link #run()} then returns after its current step. Never throws. */
  @Override
  void close();
}
