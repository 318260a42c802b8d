package io.iomt.testkit;

import java.time.Duration;
import java.util.function.UnaryOperator;

/** What {@link FaultInjectingProxy} does to one request instead of plainly forwarding it. */
sealed interface Fault {

  /** Answer with {@code status} and, if {@code retryAfter} is not null, a Retry-After header. */
  record Fail(int status, Duration retryAfter) implements Fault {}

  /** Forward after {@code delay}. */
  record Delay(Duration delay) implements Fault {}

  /** Close the connection without forwarding. */
  record DropRequest() implements Fault {}

  /** Forward, then close the connection without answering. */
  record LoseResponse() implements Fault {}

  /** Forward, then answer with the upstream's status and headers and a rewritten body. */
  record RewriteBody(UnaryOperator<String> rewrite) implements Fault {}
}
