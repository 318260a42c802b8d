package io.iomt.service.console;

import io.iomt.core.debug.MappingDebugger;
import io.iomt.core.error.DataException;
import io.iomt.core.error.DeviceNotFoundException;
import io.iomt.core.error.IomtException;
import io.iomt.core.error.PatientNotFoundException;
import io.iomt.core.observation.GroupKey;
import io.iomt.core.observation.ObservationFactory;
import io.iomt.fhir.ClockTicker;
import io.iomt.fhir.FhirDestination;
import io.iomt.fhir.FhirResources;
import io.iomt.fhir.http.RetryPolicy;
import io.iomt.fhir.identity.IdentityResolver;
import io.iomt.fhir.identity.Resolution;
import io.iomt.fhir.identity.ResolutionType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Observation;

/**
 * Compares the Observations a mapping test would write with what a connector's FHIR server holds
 * now, reading only: the groups' Patient and Device are looked up as {@code Lookup} resolution does
 * (searches, never a create, whatever the connector's resolution type), each Observation is built
 * with the ids found, searched by its identifier, and merged into the current one as the group
 * stage would merge it. A request that fails is tried once more at most, with a short timeout: the
 * page waits for the answer. Uses the connector's own FHIR URL and credentials. Stateless and
 * thread-safe.
 */
final class ServerComparison {
  /** One attempt and one retry, never long: someone waits for the page. */
  private static final RetryPolicy RETRY =
      new RetryPolicy(2, Duration.ofMillis(200), Duration.ofSeconds(1));

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** How an Observation compares; {@code resource} is what FHIR would hold after the write. */
  sealed interface View {}

  /** Nothing was compared (no connector named). */
  record NotCompared() implements View {}

  /**
   * Compared.
   *
   * @param status {@code new}, {@code changed} or {@code unchanged}
   * @param resource what FHIR would hold after the write: the new, the merged or the current one
   * @param current what the server holds now; null for {@code new}
   */
  record Compared(String status, Observation resource, Observation current) implements View {}

  /** The server could not tell (unreachable, refused, or the identities do not resolve). */
  record Unavailable(String message) implements View {}

  private final Clock clock;

  ServerComparison(Clock clock) {
    this.clock = clock;
  }

  /**
   * The view of each converted Observation, in the same order.
   *
   * @param destination the connector's FHIR server and credentials
   * @param factory the factory that built the Observations (for identifiers and merges)
   */
  List<View> compare(
      FhirDestination destination,
      List<MappingDebugger.Converted> observations,
      ObservationFactory factory) {
    FhirDestination readOnly =
        new FhirDestination(
            destination.url(), destination.tokens(), ResolutionType.LOOKUP, RETRY, TIMEOUT);
    FhirResources fhir = readOnly.resources(clock);
    List<View> out = new ArrayList<>();
    Map<GroupKey, Resolution> resolved;
    try {
      LinkedHashSet<GroupKey> keys = new LinkedHashSet<>();
      observations.forEach(c -> keys.add(c.group().key()));
      resolved =
          new IdentityResolver(
                  fhir, IdentityResolver.Config.of(ResolutionType.LOOKUP), ClockTicker.of(clock))
              .resolveAll(keys);
    } catch (IomtException | IllegalStateException e) {
      observations.forEach(c -> out.add(unavailable(destination, e)));
      return out;
    }
    for (MappingDebugger.Converted c : observations) {
      out.add(one(fhir, destination, c, resolved.get(c.group().key()), factory));
    }
    return out;
  }

  private View one(
      FhirResources fhir,
      FhirDestination destination,
      MappingDebugger.Converted c,
      Resolution resolution,
      ObservationFactory factory) {
    ObservationFactory.Subject subject;
    if (resolution instanceof Resolution.Resolved r) {
      subject = r.subject();
    } else {
      DataException error = ((Resolution.Failed) resolution).error();
      boolean createsIt =
          destination.resolution() == ResolutionType.CREATE
              && (error instanceof DeviceNotFoundException
                  || error instanceof PatientNotFoundException);
      if (!createsIt) {
        return new Unavailable(
            "The connector would not write this Observation: "
                + error.errorName()
                + ": "
                + error.getMessage());
      }
      // Create resolution would make the Patient and Device, with the ids derived offline
      return new Compared("new", c.observation(), null);
    }
    try {
      Observation built = factory.create(c.group(), subject);
      Optional<Observation> current =
          fhir.findByIdentifier(
              Observation.class,
              factory.identifierSystem(),
              factory.identifierValue(c.group(), subject));
      if (current.isEmpty()) {
        return new Compared("new", built, null);
      }
      Optional<Observation> merged = factory.merge(current.get(), c.group());
      return merged.isPresent()
          ? new Compared("changed", merged.get(), current.get())
          : new Compared("unchanged", current.get(), current.get());
    } catch (IomtException | IllegalStateException e) {
      return unavailable(destination, e);
    }
  }

  private static View unavailable(FhirDestination destination, RuntimeException e) {
    String name = e instanceof IomtException i ? i.errorName() : e.getClass().getSimpleName();
    return new Unavailable(
        "The FHIR server "
            + Urls.withoutSecrets(destination.url())
            + " could not be read: "
            + name
            + ": "
            + e.getMessage());
  }
}
