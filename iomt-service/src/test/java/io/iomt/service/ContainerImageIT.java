package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.iomt.testkit.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image that {@code mvn package} built ({@code target/jib-image.tar}, Jib's OCI
 * archive), opened with plain Java: its index, manifest and configuration, every blob against its
 * digest, and what the layers hold. Then the image is run without a container engine: its layers
 * are unpacked into a directory, and the configuration's entrypoint runs there, in a chroot, as the
 * image's user, on a read-only root with volumes at /tmp and /data (when this JVM may do that: as
 * root with {@code unshare}; otherwise {@code java -version} runs through the image's own dynamic
 * loader). Either way only the image's files are used: no JDK or library of this machine.
 */
class ContainerImageIT {
  static final Path TAR = Path.of("target", "jib-image.tar");
  static final String MAIN = "io.iomt.service.IomtServiceApplication";
  static final String API_KEY = "container-image-it-0123456789abcdef";

  @TempDir static Path work;
  static OciImage image;
  static JsonNode manifest;
  static JsonNode config;
  static Path root;
  static Map<String, OciImage.Tar.Entry> entries = new HashMap<>();

  @BeforeAll
  static void open() throws IOException {
    assertThat(TAR)
        .as("the image archive jib:buildTar writes in the package phase")
        .isRegularFile();
    image = OciImage.open(TAR);
    JsonNode index = image.json("index.json");
    assertThat(index.get("manifests")).hasSize(1);
    manifest = image.blobJson(index.get("manifests").get(0));
    config = image.blobJson(manifest.get("config"));
    root = Files.createDirectories(work.resolve("rootfs"));
    for (JsonNode layer : manifest.get("layers")) {
      try (InputStream in = image.layer(layer)) {
        OciImage.Tar.read(in, ContainerImageIT::unpack);
      }
    }
    // Mount points for the sandbox, which a container engine makes itself.
    Files.createDirectories(root.resolve("proc"));
    Files.createDirectories(root.resolve("dev"));
  }

  @Test
  void isAnOciImageLayoutWithOneManifestNamedAfterTheService() throws IOException {
    assertThat(image.json("oci-layout").get("imageLayoutVersion").asText()).isEqualTo("1.0.0");
    JsonNode index = image.json("index.json");
    assertThat(index.get("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.index.v1+json");
    JsonNode descriptor = index.get("manifests").get(0);
    assertThat(descriptor.get("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(descriptor.at("/annotations/org.opencontainers.image.ref.name").asText())
        .startsWith("iomt-service:");
    assertThat(manifest.at("/config/mediaType").asText())
        .isEqualTo("application/vnd.oci.image.config.v1+json");
    assertThat(manifest.get("layers"))
        .isNotEmpty()
        .allSatisfy(
            l ->
                assertThat(l.get("mediaType").asText())
                    .isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip"));
  }

  @Test
  void everyBlobMatchesTheDigestAndSizeThatPointAtIt() throws IOException {
    JsonNode index = image.json("index.json");
    List<JsonNode> descriptors = new ArrayList<>();
    descriptors.add(index.get("manifests").get(0));
    descriptors.add(manifest.get("config"));
    manifest.get("layers").forEach(descriptors::add);
    for (JsonNode d : descriptors) {
      String blob = OciImage.blobName(d);
      assertThat(image.size(blob)).as(blob + " size").isEqualTo(d.get("size").asLong());
      assertThat(OciImage.sha256(image.open(blob))).as(blob).isEqualTo(d.get("digest").asText());
    }
    // The configuration names each layer by the digest of its uncompressed tar.
    List<String> diffIds = new ArrayList<>();
    config.at("/rootfs/diff_ids").forEach(id -> diffIds.add(id.asText()));
    List<String> uncompressed = new ArrayList<>();
    for (JsonNode layer : manifest.get("layers")) {
      uncompressed.add(OciImage.sha256(image.layer(layer)));
    }
    assertThat(uncompressed).isEqualTo(diffIds);
  }

  @Test
  void configurationRunsTheServiceAsTheIomtUserWithContainerSizedMemory() {
    assertThat(config.get("os").asText()).isEqualTo("linux");
    assertThat(config.get("architecture").asText()).isIn("amd64", "arm64");
    JsonNode c = config.get("config");
    assertThat(strings(c.get("Entrypoint")))
        .containsExactly(
            "/opt/java/bin/java",
            "-XX:MaxRAMPercentage=75",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.io.tmpdir=/tmp",
            "-cp",
            "@/app/jib-classpath-file",
            MAIN);
    assertThat(c.path("Cmd").isMissingNode() || c.get("Cmd").isEmpty()).isTrue();
    assertThat(c.get("User").asText()).isEqualTo("10001:10001");
    assertThat(fieldNames(c.get("ExposedPorts"))).containsExactly("8080/tcp");
    assertThat(strings(c.get("Env"))).contains("IOMT_DATA_DIR=/data");
    assertThat(c.get("WorkingDir").asText()).isEqualTo("/data");
    assertThat(fieldNames(c.get("Volumes"))).containsExactlyInAnyOrder("/data", "/tmp");
    assertThat(c.at("/Labels/org.opencontainers.image.title").asText()).isEqualTo("iomt-service");
    assertThat(c.at("/Labels/org.opencontainers.image.version").asText()).isNotBlank();
  }

  @Test
  void layersHoldTheRuntimeItsLibrariesTheUserAndTheServiceClasspath() throws IOException {
    assertThat(entries.get("opt/java/bin/java").mode() & 0111).as("java is executable").isNotZero();
    assertThat(entries).containsKey("opt/java/lib/server/libjvm.so");
    assertThat(entries.keySet()).anyMatch(n -> n.matches("lib(64)?/ld-linux-.*\\.so\\.\\d"));
    assertThat(entries.keySet()).anyMatch(n -> n.matches("(usr/)?lib/.*libc\\.so\\.6"));
    assertThat(Files.readString(root.resolve("etc/passwd"))).contains("iomt:x:10001:10001:");
    assertThat(Files.readString(root.resolve("etc/group"))).contains("iomt:x:10001:");
    assertThat(entries.get("data").isDirectory()).isTrue();
    assertThat(entries.get("tmp").isDirectory()).isTrue();

    assertThat(Files.readString(root.resolve("app/jib-main-class-file")).trim()).isEqualTo(MAIN);
    assertThat(entries).containsKey("app/classes/io/iomt/service/IomtServiceApplication.class");
    assertThat(entries).containsKey("app/resources/application.yaml");
    List<String> classpath =
        List.of(Files.readString(root.resolve("app/jib-classpath-file")).trim().split(":"));
    assertThat(classpath).startsWith("/app/resources", "/app/classes");
    assertThat(classpath).allSatisfy(p -> assertThat(root.resolve(p.substring(1))).as(p).exists());
    List<String> jars = classpath.stream().map(p -> p.substring(p.lastIndexOf('/') + 1)).toList();
    assertThat(jars)
        .anyMatch(j -> j.startsWith("iomt-pipeline-"))
        .anyMatch(j -> j.startsWith("kafka_2.13-")) // the embedded broker
        .anyMatch(j -> j.startsWith("spring-boot-"));
    // HAPI's JPA server is the demo's, never the service's.
    assertThat(jars).noneMatch(j -> j.startsWith("hapi-fhir-jpaserver"));
  }

  @Test
  void runtimeCarriesItsOwnCertificateAuthorities() throws Exception {
    java.security.KeyStore cacerts = java.security.KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(root.resolve("opt/java/lib/security/cacerts"))) {
      cacerts.load(in, null);
    } catch (IOException e) {
      cacerts = java.security.KeyStore.getInstance("JKS");
      try (InputStream in = Files.newInputStream(root.resolve("opt/java/lib/security/cacerts"))) {
        cacerts.load(in, null);
      }
    }
    assertThat(cacerts.size()).isGreaterThan(50);
  }

  @Test
  void imagesJavaStartsFromTheImagesFilesAlone() throws Exception {
    List<String> command = new ArrayList<>();
    if (canRunInChroot()) {
      command.addAll(sandbox(List.of("/opt/java/bin/java", "-version"), Map.of(), null));
    } else {
      // The image's loader, told to look for libraries in the image only.
      String loader =
          entries.keySet().stream()
              .filter(n -> n.matches("lib(64)?/ld-linux-.*"))
              .findFirst()
              .orElseThrow();
      Set<String> libDirs = new HashSet<>();
      entries.values().stream()
          .filter(e -> e.name().matches("(usr/)?lib(64)?/.*\\.so[.0-9]*") && !e.isDirectory())
          .forEach(e -> libDirs.add(root.resolve(e.name()).getParent().toString()));
      command.addAll(
          List.of(
              root.resolve(loader).toString(),
              "--inhibit-cache",
              "--library-path",
              String.join(":", libDirs),
              root.resolve("opt/java/bin/java").toString(),
              "-version"));
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("Runtime Environment").contains("Server VM");
  }

  @Test
  void serviceStartsFromTheImageAsUser10001OnAReadOnlyRootAndWritesOnlyToItsDataVolume()
      throws Exception {
    assumeTrue(
        canRunInChroot(), "needs root and unshare to run the image without a container engine");
    Path data = Files.createDirectories(work.resolve("data-volume"));
    Files.setAttribute(data, "unix:uid", 10001);
    Files.setAttribute(data, "unix:gid", 10001);
    int port = freePort();
    List<String> entrypoint = new ArrayList<>(strings(config.at("/config/Entrypoint")));
    entrypoint.add("--server.port=" + port); // as `docker run IMAGE --server.port=...`
    Map<String, String> env = new HashMap<>();
    for (String e : strings(config.at("/config/Env"))) {
      env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
    }
    env.put("IOMT_INGEST_API_KEYS", API_KEY);
    // Added flags, as an operator would (the entrypoint's own flags stay): a faster start here.
    env.put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k");
    Path log = work.resolve("service.log");
    Process p =
        new ProcessBuilder(sandbox(entrypoint, env, data))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    HttpClient http = HttpClient.newHttpClient();
    try {
      Await.atMost(Duration.ofSeconds(240))
          .every(Duration.ofMillis(500))
          .until(
              "the service in the image ready on port " + port + " (log: " + log + ")",
              () -> {
                if (!p.isAlive()) {
                  throw new IllegalStateException("exited with " + p.exitValue() + "; see " + log);
                }
                return status(http, port, "/actuator/health/readiness");
              },
              s -> s == 200);
      assertThat(status(http, port, "/actuator/prometheus")).isEqualTo(200);
      String output = Files.readString(log);
      assertThat(output).contains("started by iomt");
      // IOMT_DATA_DIR=/data from the image's configuration: the embedded broker and the replica's
      // member id live on the volume (the root filesystem is read-only, so nothing else could).
      assertThat(data.resolve("kafka")).isDirectory();
      assertThat(data.resolve("instance-id")).isRegularFile();
      assertThat(
              Files.getAttribute(
                  data.resolve("instance-id"), "unix:uid", LinkOption.NOFOLLOW_LINKS))
          .isEqualTo(10001);
    } finally {
      p.destroy();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  /**
   * The command that runs {@code command} in the unpacked image as a container engine would: its
   * own mount and PID namespaces, the image as a read-only root, /proc and /dev, a tmpfs at /tmp,
   * {@code data} (or a tmpfs) at /data, the image's user, and only {@code env} as environment.
   */
  private static List<String> sandbox(List<String> command, Map<String, String> env, Path data) {
    String r = quote(root.toString());
    StringBuilder script = new StringBuilder("set -e; ");
    script.append("mount --bind ").append(r).append(' ').append(r).append("; ");
    script.append("mount -o remount,bind,ro ").append(r).append("; ");
    script.append("mount -t proc proc ").append(r).append("/proc; ");
    script.append("mount --rbind /dev ").append(r).append("/dev; ");
    script.append("mount -t tmpfs -o mode=1777 tmpfs ").append(r).append("/tmp; ");
    if (data != null) {
      script.append("mount --bind ").append(quote(data.toString())).append(' ').append(r);
      script.append("/data; ");
    } else {
      script.append("mount -t tmpfs -o mode=1777 tmpfs ").append(r).append("/data; ");
    }
    script.append("exec env -i");
    env.forEach((k, v) -> script.append(' ').append(quote(k + "=" + v)));
    script.append(' ').append(chroot()).append(" --userspec=");
    script.append(quote(config.at("/config/User").asText())).append(' ').append(r);
    command.forEach(a -> script.append(' ').append(quote(a)));
    return List.of(
        "unshare", "--mount", "--pid", "--fork", "--kill-child", "sh", "-c", script.toString());
  }

  private static boolean canRunInChroot() {
    if (!"root".equals(System.getProperty("user.name")) || chroot() == null) {
      return false;
    }
    try {
      Process p = new ProcessBuilder("unshare", "--mount", "true").start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String chroot() {
    return Stream.of("/usr/sbin/chroot", "/usr/bin/chroot", "/sbin/chroot")
        .filter(c -> Files.isExecutable(Path.of(c)))
        .findFirst()
        .orElse(null);
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\"'\"'") + "'";
  }

  private static void unpack(OciImage.Tar.Entry e, InputStream content) throws IOException {
    entries.put(e.name(), e);
    Path target = root.resolve(e.name()).normalize();
    if (!target.startsWith(root)) {
      throw new IOException("layer entry outside the root: " + e.name());
    }
    if (e.isDirectory()) {
      Files.createDirectories(target);
    } else if (e.isSymlink()) {
      Files.createDirectories(target.getParent());
      Files.deleteIfExists(target);
      Files.createSymbolicLink(target, Path.of(e.link()));
      return;
    } else if (e.isHardLink()) {
      Files.createDirectories(target.getParent());
      Files.copy(root.resolve(e.link()), target, StandardCopyOption.REPLACE_EXISTING);
    } else if (e.isFile()) {
      Files.createDirectories(target.getParent());
      Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
    } else {
      return;
    }
    Files.setPosixFilePermissions(target, permissions(e.mode()));
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = new HashSet<>();
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < order.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(order[i]);
      }
    }
    return set;
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> list = new ArrayList<>();
    object.fieldNames().forEachRemaining(list::add);
    return list;
  }

  private static int status(HttpClient http, int port, String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .header("Authorization", "Bearer " + API_KEY)
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
