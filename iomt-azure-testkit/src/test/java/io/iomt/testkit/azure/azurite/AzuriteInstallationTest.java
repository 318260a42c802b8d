package io.iomt.testkit.azure.azurite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AzuriteInstallationTest {

  @Test
  void aMissingToolIsAnErrorSayingWhatToInstall() {
    assertThatThrownBy(() -> AzuriteInstallation.requireTool("iomt-no-such-node"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Azurite needs Node.js 20 (or newer) and npm on the PATH")
        .hasMessageContaining("`iomt-no-such-node` cannot be run")
        .hasMessageContaining("apt-get install -y nodejs npm");
  }

  @Test
  void aCompleteInstallationInTheCacheIsReusedWithoutNpm(@TempDir Path cache) throws Exception {
    Path dir = cache.resolve("azurite-" + AzuriteInstallation.VERSION);
    Path main = dir.resolve("node_modules/azurite/dist/src/blob/main.js");
    Files.createDirectories(main.getParent());
    Files.writeString(main, "// installed");
    Files.writeString(dir.resolve(".iomt-installed"), AzuriteInstallation.VERSION);

    AzuriteInstallation installation = AzuriteInstallation.ensure(cache);

    assertThat(installation.blobMain()).isEqualTo(main);
    assertThat(Files.readString(main)).isEqualTo("// installed");
  }

  @Test
  void theTailOfALogIsItsLast40Lines(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("npm.log");
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 50; i++) {
      lines.append("line ").append(i).append('\n');
    }
    Files.writeString(log, lines);

    assertThat(AzuriteInstallation.tail(log)).startsWith("line 11\n").endsWith("line 50");
  }
}
