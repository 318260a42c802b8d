package io.iomt.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage's current {@link StageStatus}, readable from any thread, that logs each change of state
 * once, with its reason: blocked (WARN, with the error and the next retry), failed (ERROR), resumed
 * (INFO), stopped (INFO). A blocked stage that keeps failing with the same error only moves its
 * retry time, which is not logged again, so an outage of an hour writes two lines, not thousands.
 * Thread-safe.
 */
public final class StatusHolder {
  private static final Logger LOG = LoggerFactory.getLogger("io.iomt.pipeline.stage");

  private final String name;
  private volatile StageStatus status = new StageStatus.Starting();

  /**
   * @param name what the log lines call the stage, e.g. {@code connector icu, stage group}
   */
  public StatusHolder(String name) {
    this.name = name;
  }

  public StageStatus get() {
    return status;
  }

  public void set(StageStatus next) {
    set(next, null);
  }

  /** Like {@link #set(StageStatus)}; a logged failure carries {@code cause}'s stack trace. */
  public synchronized void set(StageStatus next, Throwable cause) {
    StageStatus previous = status;
    status = next;
    if (sameCondition(previous, next)) {
      return;
    }
    if (next instanceof StageStatus.Blocked b) {
      LOG.warn(
          "{} blocked by {}: {} (retrying by itself, next at {})",
          name,
          b.errorName(),
          b.message(),
          b.retryAt());
    } else if (next instanceof StageStatus.Failed f) {
      LOG.error(
          "{} failed with {}: {} (restarting at {}; uncommitted records are replayed)",
          name,
          f.errorName(),
          f.message(),
          f.retryAt(),
          cause);
    } else if (next instanceof StageStatus.Running) {
      if (previous instanceof StageStatus.Blocked || previous instanceof StageStatus.Failed) {
        LOG.info("{} resumed after being {}", name, previous.state());
      } else {
        LOG.debug("{} running", name);
      }
    } else if (next instanceof StageStatus.Stopped s) {
      LOG.info("{} stopped: {}", name, s.reason());
    }
  }

  /** Same state and, when blocked or failed, the same error: nothing new to say. */
  private static boolean sameCondition(StageStatus a, StageStatus b) {
    if (a instanceof StageStatus.Blocked x && b instanceof StageStatus.Blocked y) {
      return x.errorName().equals(y.errorName());
    }
    if (a instanceof StageStatus.Failed x && b instanceof StageStatus.Failed y) {
      return x.errorName().equals(y.errorName()) && String.valueOf(x.message()).equals(y.message());
    }
    return a.getClass() == b.getClass();
  }
}
