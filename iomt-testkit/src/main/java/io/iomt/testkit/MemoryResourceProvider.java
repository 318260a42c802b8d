package io.iomt.testkit;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IResourceProvider;
import java.util.List;
import java.util.concurrent.locks.Lock;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * Read, update (PUT), create (POST) and search of one resource type of an {@link
 * InMemoryFhirServer}, over HAPI's plain-server annotations; the rules are {@link MemoryStore}'s.
 * Thread-safe.
 */
final class MemoryResourceProvider implements IResourceProvider {
  private final String type;
  private final Class<? extends Resource> resourceClass;
  private final MemoryStore store;

  MemoryResourceProvider(String type, MemoryStore store) {
    this.type = type;
    this.resourceClass = MemoryStore.TYPES.get(type).get().getClass();
    this.store = store;
  }

  @Override
  public Class<? extends IBaseResource> getResourceType() {
    return resourceClass;
  }

  @Read
  public Resource read(@IdParam IdType id) {
    Lock lock = store.lock().readLock();
    lock.lock();
    try {
      return store.read(type, id.getIdPart());
    } finally {
      lock.unlock();
    }
  }

  @Update
  public MethodOutcome update(
      @IdParam IdType id, @ResourceParam Resource body, RequestDetails request) {
    Lock lock = store.lock().readLock();
    lock.lock();
    try {
      return outcome(
          store.put(
              type,
              id.getIdPart(),
              body,
              request.getHeader("If-Match"),
              request.getHeader("If-None-Match")));
    } finally {
      lock.unlock();
    }
  }

  @Create
  public MethodOutcome create(@ResourceParam Resource body, RequestDetails request) {
    Lock lock = store.lock().readLock();
    lock.lock();
    try {
      return outcome(store.create(type, body, request.getHeader("If-None-Exist")));
    } finally {
      lock.unlock();
    }
  }

  @Search(allowUnknownParams = true)
  public List<Resource> search(RequestDetails request) {
    Lock lock = store.lock().readLock();
    lock.lock();
    try {
      return store.search(type, Queries.of(request.getParameters()));
    } finally {
      lock.unlock();
    }
  }

  private static MethodOutcome outcome(MemoryStore.Written w) {
    MethodOutcome out = new MethodOutcome(w.resource().getIdElement(), w.created());
    out.setResource(w.resource());
    return out;
  }
}
