package io.iomt.fhir.http;

import java.time.Duration;

/** Waits between retries; injected so tests run without sleeping. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());
}
