package io.iomt.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits in a test until something the system under test does asynchronously has happened: polls a
 * value (or an assertion) every short interval until it meets the expectation, and fails with an
 * {@link AssertionError} naming what was awaited, for how long, and the last value seen (or the
 * last assertion's message, which for AssertJ holds the expected and actual values) when the
 * timeout passes first.
 *
 * <pre>{@code
 * int n = Await.until("observations in FHIR", () -> count(), n -> n == 350, Duration.ofMinutes(2));
 * Await.untilEquals("observations of " + device, () -> observations(device), 10, Duration.ofMinutes(1));
 * Await.atMost(Duration.ofSeconds(30))
 *     .every(Duration.ofMillis(500))
 *     .untilAsserted("readiness", () -> assertThat(readiness()).contains("\"UP\""));
 * }</pre>
 *
 * <p>The value is always read once more after the last interval, so a condition met just before the
 * deadline is seen; the first read happens at once. Exceptions other than {@link AssertionError}
 * thrown by the value or the assertion end the wait at once (they are bugs, not "not yet"); wrap
 * the call yourself if a failure is a legitimate intermediate state.
 *
 * <p>Instances are immutable and thread-safe; the waiting methods block the calling thread. An
 * interrupt ends the wait with an {@link AssertionError} and keeps the thread's interrupt flag.
 */
public final class Await {

  /** The interval between two reads when none is given. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

  /** How the wait passes time; a test of this class replaces it. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final Duration timeout;
  private final Duration interval;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;

  Await(Duration timeout, Duration interval, LongSupplier nanoTime, Sleeper sleeper) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative timeout: " + timeout);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the interval must be positive: " + interval);
    }
    this.timeout = timeout;
    this.interval = interval;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /** A wait of at most {@code timeout}, reading every {@link #DEFAULT_INTERVAL}. */
  public static Await atMost(Duration timeout) {
    return new Await(timeout, DEFAULT_INTERVAL, System::nanoTime, d -> Thread.sleep(d.toMillis()));
  }

  /** The same wait, reading every {@code interval}. */
  public Await every(Duration interval) {
    return new Await(timeout, interval, nanoTime, sleeper);
  }

  /** Shortcut for {@code atMost(timeout).until(what, value, expected)}. */
  public static <T> T until(
      String what, Supplier<? extends T> value, Predicate<? super T> expected, Duration timeout) {
    return atMost(timeout).until(what, value, expected);
  }

  /** Shortcut for {@code atMost(timeout).untilEquals(what, value, expected)}. */
  public static <T> T untilEquals(
      String what, Supplier<? extends T> value, T expected, Duration timeout) {
    return atMost(timeout).untilEquals(what, value, expected);
  }

  /** Shortcut for {@code atMost(timeout).untilAsserted(what, assertion)}. */
  public static void untilAsserted(String what, Runnable assertion, Duration timeout) {
    atMost(timeout).untilAsserted(what, assertion);
  }

  /**
   * Reads {@code value} until it meets {@code expected}, and returns that value.
   *
   * @param what what is awaited, for the failure message ("observations in FHIR")
   * @throws AssertionError at the timeout: "{@code <what>: condition not met after <timeout> (<n>
   *     reads); last value seen: <value>}"
   */
  public <T> T until(String what, Supplier<? extends T> value, Predicate<? super T> expected) {
    return poll(what, value, expected, null);
  }

  /**
   * Reads {@code value} until it equals {@code expected} (by {@link Objects#equals}), and returns
   * it. The failure message shows both the expected and the last value.
   */
  public <T> T untilEquals(String what, Supplier<? extends T> value, T expected) {
    return poll(what, value, v -> Objects.equals(v, expected), "<" + expected + ">");
  }

  /**
   * Reads {@code value} until {@code requirements} (AssertJ assertions on it) pass, and returns the
   * value that passed them. At the timeout, the failure carries the last assertion failure's
   * message (AssertJ's shows the expected and the actual value) and the failure itself as its
   * cause.
   */
  public <T> T untilSatisfies(
      String what, Supplier<? extends T> value, Consumer<? super T> requirements) {
    return wait(
        what,
        () -> {
          T v = value.get();
          requirements.accept(v);
          return v;
        });
  }

  /**
   * Runs {@code assertion} until it throws no {@link AssertionError}. At the timeout, the failure
   * carries the last assertion failure's message and the failure itself as its cause.
   */
  public void untilAsserted(String what, Runnable assertion) {
    wait(
        what,
        () -> {
          assertion.run();
          return null;
        });
  }

  private <T> T poll(
      String what, Supplier<? extends T> value, Predicate<? super T> expected, String expectation) {
    return wait(
        what,
        () -> {
          T v = value.get();
          if (!expected.test(v)) {
            throw new NotYet(v);
          }
          return v;
        },
        expectation);
  }

  private <T> T wait(String what, Supplier<T> attempt) {
    return wait(what, attempt, null);
  }

  /**
   * Runs {@code attempt} until it returns; an {@link AssertionError} (or {@link NotYet}) means "not
   * yet".
   */
  private <T> T wait(String what, Supplier<T> attempt, String expectation) {
    long start = nanoTime.getAsLong();
    int reads = 0;
    while (true) {
      Throwable last;
      try {
        reads++;
        return attempt.get();
      } catch (AssertionError | NotYet e) {
        last = e;
      }
      long elapsed = nanoTime.getAsLong() - start;
      if (elapsed >= timeout.toNanos()) {
        throw failure(what, expectation, reads, last);
      }
      try {
        sleeper.sleep(Duration.ofNanos(Math.min(interval.toNanos(), timeout.toNanos() - elapsed)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        AssertionError interrupted = new AssertionError(what + ": interrupted while waiting", e);
        interrupted.addSuppressed(last);
        throw interrupted;
      }
    }
  }

  private AssertionError failure(String what, String expectation, int reads, Throwable last) {
    String after = " after " + timeout + " (" + reads + (reads == 1 ? " read" : " reads") + ")";
    if (last instanceof NotYet notYet) {
      return new AssertionError(
          what
              + ": "
              + (expectation == null ? "condition not met" : "expected " + expectation)
              + after
              + "; last value seen: <"
              + notYet.value
              + ">");
    }
    return new AssertionError(
        what + ": still failing" + after + "; last failure: " + last.getMessage(), last);
  }

  /** A value read that does not meet the expectation yet; never leaves this class. */
  private static final class NotYet extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Object value;

    NotYet(Object value) {
      super(null, null, false, false);
      this.value = value;
    }
  }
}
