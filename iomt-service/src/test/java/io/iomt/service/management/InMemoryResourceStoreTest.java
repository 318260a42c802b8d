package io.iomt.service.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.service.management.ResourceStore.Expect;
import io.iomt.service.management.ResourceStore.StoreUnavailableException;
import org.junit.jupiter.api.Test;

class InMemoryResourceStoreTest extends ResourceStoreContract {
  @Override
  protected ResourceStore newStore() {
    return new InMemoryResourceStore();
  }

  @Test
  void writesFailAsIfTheBrokerWereDownWhileAskedTo() {
    InMemoryResourceStore memory = (InMemoryResourceStore) store;
    StoredResource stored = store.put(resource(WORKSPACE, "Succeeded"), Expect.ANY);

    memory.failWrites(true);
    assertThatThrownBy(() -> store.put(resource(WORKSPACE, "Failed"), Expect.ANY))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> store.delete(WORKSPACE, Expect.ANY))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(store.get(WORKSPACE)).contains(stored);

    memory.failWrites(false);
    store.delete(WORKSPACE, Expect.ANY);
    assertThat(store.get(WORKSPACE)).isEmpty();
  }
}
