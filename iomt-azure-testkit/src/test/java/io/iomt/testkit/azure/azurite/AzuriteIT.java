package io.iomt.testkit.azure.azurite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AzuriteIT {

  @Test
  void theBlobClientStoresAndReadsBackABlobWithTheConnectionString() {
    BlobServiceClient service =
        new BlobServiceClientBuilder()
            .connectionString(Azurite.shared().connectionString())
            .buildClient();
    BlobContainerClient container = service.createBlobContainer("c-" + UUID.randomUUID());

    container.getBlobClient("a/b.txt").upload(BinaryData.fromString("hello"));

    assertThat(container.getBlobClient("a/b.txt").downloadContent().toString()).isEqualTo("hello");
    assertThat(service.getAccountName()).isEqualTo(Azurite.ACCOUNT_NAME);
    assertThat(Azurite.shared().blobEndpoint())
        .isEqualTo("http://127.0.0.1:" + Azurite.shared().port() + "/devstoreaccount1");
  }

  @Test
  void theSharedInstanceIsOnePerJvm() {
    assertThat(Azurite.shared()).isSameAs(Azurite.shared());
  }

  @Test
  void closingAPrivateInstanceKillsItsProcessAndFreesItsPortAndItsDataIsGone() throws Exception {
    Azurite azurite = Azurite.start();
    String container = "c-" + UUID.randomUUID();
    new BlobServiceClientBuilder()
        .connectionString(azurite.connectionString())
        .buildClient()
        .createBlobContainer(container);
    ProcessHandle process = azurite.process();
    assertThat(azurite.port()).isNotEqualTo(Azurite.shared().port());
    assertThat(process.isAlive()).isTrue();

    azurite.close();
    azurite.close();

    assertThat(process.isAlive()).isFalse();
    assertThat(process.descendants()).isEmpty();
    assertThatThrownBy(() -> connect(azurite.port())).isInstanceOf(IOException.class);
    try (Azurite fresh = Azurite.start()) {
      assertThat(
              new BlobServiceClientBuilder()
                  .connectionString(fresh.connectionString())
                  .buildClient()
                  .getBlobContainerClient(container)
                  .exists())
          .isFalse();
    }
  }

  private static void connect(int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.getInputStream();
    }
  }
}
