package io.iomt.fhir.write;

import io.iomt.core.error.DataException;
import io.iomt.core.error.FhirServiceUnavailableException;
import io.iomt.core.error.UnauthorizedAccessFhirServiceException;
import io.iomt.core.observation.ObservationFactory;
import io.iomt.core.observation.ObservationGroup;
import io.iomt.fhir.identity.IdentityResolver;
import io.iomt.fhir.identity.ResolutionType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Observation;

/**
 * An {@link ObservationWriter} that keeps Observations in memory, for fast tests of what writes to
 * FHIR. It uses the same {@link ObservationFactory} (ids, create, merge) as {@link
 * FhirObservationWriter} and the identity rules of {@link IdentityResolver} ({@link InMemoryFhir}),
 * so ids, merged values, created/updated/unchanged outcomes and per-group rejections (an unknown
 * device in Lookup mode is a {@link io.iomt.core.error.DeviceNotFoundException}) are the ones a
 * real server gives. A test can {@link #makeUnavailable() make it unavailable} or {@link
 * #refuseCredentials() refuse credentials}: {@link #write} then throws the same blocking exceptions
 * as the FHIR writer and holds nothing of the flush, until {@link #heal()}.
 *
 * <p>Writers made with {@link #sharing(ResolutionType)} are other replicas of the connector against
 * the same store. Thread-safe: a flush is applied atomically against the shared store.
 */
public final class InMemoryObservationWriter implements ObservationWriter {
  private final InMemoryFhir store;
  private final ObservationFactory factory;
  private final IdentityResolver.Config identity;

  /** A writer over a new, empty store. */
  public InMemoryObservationWriter(ObservationFactory factory, IdentityResolver.Config identity) {
    this(new InMemoryFhir(), factory, identity);
  }

  private InMemoryObservationWriter(
      InMemoryFhir store, ObservationFactory factory, IdentityResolver.Config identity) {
    this.store = store;
    this.factory = Objects.requireNonNull(factory, "factory");
    this.identity = Objects.requireNonNull(identity, "identity");
  }

  /** A writer over a new store with the default systems, {@code issued} from {@code clock}. */
  public static InMemoryObservationWriter of(Clock clock, ResolutionType resolution) {
    return new InMemoryObservationWriter(
        new ObservationFactory(clock), IdentityResolver.Config.of(resolution));
  }

  /** Another writer (another replica) with its own resolution type, over the same store. */
  public InMemoryObservationWriter sharing(ResolutionType resolution) {
    return new InMemoryObservationWriter(
        store,
        factory,
        new IdentityResolver.Config(
            resolution,
            identity.deviceSystem(),
            identity.patientSystem(),
            identity.encounterSystem(),
            identity.cacheTtl(),
            identity.cacheSize()));
  }

  @Override
  public WriteReport write(List<ObservationGroup> groups) {
    List<Observation> created = new ArrayList<>();
    List<Observation> updated = new ArrayList<>();
    List<Observation> unchanged = new ArrayList<>();
    List<WriteReport.Rejected> rejected = new ArrayList<>();
    synchronized (store) {
      store.countWrite();
      store.checkUsable();
      for (ObservationGroup g : groups) {
        try {
          ObservationFactory.Subject subject = store.resolve(g.key(), identity);
          String id = factory.resourceId(g, subject);
          Optional<Observation> current = store.observation(id);
          if (current.isEmpty()) {
            created.add(store.put(factory.create(g, subject)));
          } else {
            Optional<Observation> merged = factory.merge(current.get(), g);
            if (merged.isPresent()) {
              updated.add(store.put(merged.get()));
            } else {
              unchanged.add(current.get());
            }
          }
        } catch (DataException e) {
          rejected.add(new WriteReport.Rejected(g, e));
        }
      }
    }
    return new WriteReport(created, updated, unchanged, rejected);
  }

  /**
   * Registers a Patient and a Device linked to it, as a hospital would; returns their ids (no
   * encounter).
   */
  public ObservationFactory.Subject registerDevice(
      String deviceIdentifier, String patientIdentifier) {
    synchronized (store) {
      return store.registerDevice(deviceIdentifier, patientIdentifier, identity);
    }
  }

  /** Registers an Encounter by identifier; returns its id. */
  public String registerEncounter(String encounterIdentifier) {
    synchronized (store) {
      return store.registerEncounter(encounterIdentifier, identity);
    }
  }

  /**
   * From now on every write throws {@link FhirServiceUnavailableException}, as the FHIR writer does
   * when the server stays unreachable.
   */
  public void makeUnavailable() {
    synchronized (store) {
      store.fail(InMemoryFhir.Failure.UNAVAILABLE);
    }
  }

  /**
   * From now on every write throws {@link UnauthorizedAccessFhirServiceException}, as the FHIR
   * writer does when the server refuses fresh credentials.
   */
  public void refuseCredentials() {
    synchronized (store) {
      store.fail(InMemoryFhir.Failure.UNAUTHORIZED);
    }
  }

  /** Available again, credentials accepted. */
  public void heal() {
    synchronized (store) {
      store.fail(InMemoryFhir.Failure.NONE);
    }
  }

  /** Copies of the Observations held, ordered by id. */
  public List<Observation> observations() {
    synchronized (store) {
      return store.observations();
    }
  }

  /** A copy of the Observation with this id, if held. */
  public Optional<Observation> observation(String id) {
    synchronized (store) {
      return store.observation(id);
    }
  }

  /**
   * Calls of {@link #write} on the store so far (by every sharing writer), failed ones included.
   */
  public int writeCalls() {
    synchronized (store) {
      return store.writeCalls();
    }
  }
}
