package io.iomt.service.management.security;

import io.iomt.service.management.ResourceId;
import io.iomt.service.management.ResourceType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of the management API: one line per change attempt on logger {@code
 * io.iomt.audit} at INFO (who, their kind and role, the action, the resource id, the outcome, when)
 * and the counter {@code iomt_management_changes_total{action,resource_type,outcome}}. Never given
 * bodies or secrets. The API calls it for every PUT, PATCH, POST and DELETE it handles; the
 * security layer calls it for every change it refuses (401, 403). Thread-safe.
 *
 * <p>Tags stay few whatever callers send: {@code action} is PUT, PATCH, POST, DELETE or OTHER;
 * {@code resource_type} the last resource type segment of the id when it is one of the contract's
 * ({@code workspaces}, {@code iotconnectors}, {@code fhirdestinations}, {@code fhirservices}), else
 * {@code other}; {@code outcome} is kept to letters, digits and {@code :_.-} (callers pass a small
 * set, e.g. {@code accepted}, {@code refused:AuthorizationFailed}, {@code failed:<ARM code>}).
 */
public final class ManagementAudit {
  /** The audit log's logger name. */
  public static final String LOGGER = "io.iomt.audit";

  static final String METRIC = "iomt.management.changes";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final Set<String> ACTIONS = Set.of("PUT", "PATCH", "POST", "DELETE");
  private static final int MAX_LOGGED = 512;

  private final MeterRegistry registry;
  private final Clock clock;

  public ManagementAudit(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * Records a change attempt by the caller of the current request ({@link
   * ManagementCaller#current()}).
   */
  public void record(String action, String resourceId, String outcome) {
    record(ManagementCaller.current().orElse(null), action, resourceId, outcome);
  }

  /**
   * Records a change attempt.
   *
   * @param caller who tried; null when unauthenticated
   * @param action the HTTP method: PUT, PATCH, POST or DELETE
   * @param resourceId the ARM id (or request path) of the resource
   * @param outcome e.g. {@code accepted}, {@code refused:AuthorizationFailed}
   */
  public void record(ManagementCaller caller, String action, String resourceId, String outcome) {
    String act = action == null ? "OTHER" : action.toUpperCase(Locale.ROOT);
    if (!ACTIONS.contains(act)) {
      act = "OTHER";
    }
    String result = outcome == null ? "unknown" : outcome.replaceAll("[^A-Za-z0-9:_.-]", "_");
    if (result.length() > 64) {
      result = result.substring(0, 64);
    }
    LOG.info(
        "management change: who={} type={} role={} action={} resource={} outcome={} at={}",
        caller == null ? "anonymous" : printable(caller.name()),
        caller == null ? "none" : caller.type().armName(),
        caller == null ? "none" : caller.roleName(),
        act,
        printable(resourceId),
        result,
        clock.instant());
    Counter.builder(METRIC)
        .description("Change attempts on the management API, by outcome")
        .tag("action", act)
        .tag("resource_type", resourceType(resourceId))
        .tag("outcome", result)
        .register(registry)
        .increment();
  }

  /**
   * The contract's type segment of the resource an id or request path names, e.g. {@code
   * iotconnectors} for {@code .../workspaces/w/iotconnectors/c} and for the collection {@code
   * .../workspaces/w/iotconnectors}; {@code other} when it names none of the contract's types.
   */
  static String resourceType(String resourceId) {
    if (resourceId == null) {
      return "other";
    }
    String path = resourceId.split("\\?", 2)[0];
    String[] segments = path.replaceAll("^/+", "").replaceAll("/+$", "").split("/");
    int provider = -1;
    for (int i = 0; i + 1 < segments.length; i++) {
      if (segments[i].equalsIgnoreCase("providers")
          && segments[i + 1].equalsIgnoreCase(ResourceId.PROVIDER)) {
        provider = i + 2;
      }
    }
    if (provider < 0 || provider >= segments.length) {
      return "other";
    }
    int lastType = provider + ((segments.length - 1 - provider) / 2) * 2;
    return ResourceType.bySegment(segments[lastType]).map(ResourceType::segment).orElse("other");
  }

  /** The value without control characters (no forged log lines), and not endlessly long. */
  private static String printable(String value) {
    if (value == null) {
      return "-";
    }
    String clean = value.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > MAX_LOGGED ? clean.substring(0, MAX_LOGGED) + "..." : clean;
  }
}
