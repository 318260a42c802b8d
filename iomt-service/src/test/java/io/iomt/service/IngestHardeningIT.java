package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.testkit.Await;
import io.iomt.testkit.HapiFhirServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP ingest against hostile requests, on the real service (embedded broker, real HAPI server):
 * each test sends the exact request that broke it (issue 8, defects 6, 7, 10, 13, 14, 15, 18).
 */
class IngestHardeningIT {
  static final int PER_CLIENT = 5;
  static final ObjectMapper JSON = new ObjectMapper();
  static RunningService service;

  @BeforeAll
  static void start() throws Exception {
    String fhir = HapiFhirServer.shared().baseUrl();
    Map<String, Object> props =
        RunningService.defaults(Files.createTempDirectory("iomt-ingest-it"), fhir);
    // A second connector whose source topic gets a small max.message.bytes (as an existing topic
    // or a managed broker may have).
    props.put(
        "iomt.connectors.small.device-mapping", props.get("iomt.connectors.test.device-mapping"));
    props.put("iomt.connectors.small.fhir-mapping", props.get("iomt.connectors.test.fhir-mapping"));
    props.put("iomt.connectors.small.fhir.url", fhir);
    props.put("iomt.connectors.small.partitions", "1");
    // Few worker threads, so that 50 slow senders could take them all.
    props.put("server.tomcat.threads.max", "20");
    props.put("iomt.ingest.read-timeout", "2s");
    props.put("iomt.ingest.max-requests-per-client", Integer.toString(PER_CLIENT));
    service = RunningService.start(props);
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void eachMessageOfABatchIsProducedAsTheExactBytesTheDeviceSent() throws Exception {
    String device = "raw-" + UUID.randomUUID().toString().substring(0, 8);
    String first =
        "{ \"heartRate\" : 98.60000000000000001, \"deviceId\":\""
            + device
            + "\","
            + "\"endDate\":\"2026-03-01T10:00:00Z\", \"z\":1E2,\"a\":\"caf\\u00e9 \\/ x\" }";
    String second = "{\"deviceId\":\"" + device + "\",\"b\":[1, 2.50,\ttrue ],\"a\":null}";
    HttpResponse<String> r = service.ingest("test", "[\n  " + first + " ,\n\t" + second + "\n]");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(r.body()).isEqualTo("{\"accepted\":2}");
    String single = "  {\"deviceId\" :\"" + device + "\", \"x\": 0.1000}\r\n";
    assertThat(service.ingest("test", single).statusCode()).isEqualTo(202);

    assertThat(values("test-events", device, 3)).containsExactly(first, second, single.strip());
  }

  @Test
  void aMessageOfExactlyTheLimitAndOneWithAHugeDeviceIdAreAcceptedAndWritten() throws Exception {
    int limit = 1024 * 1024; // the default iomt.ingest.max-message-size
    String device = "max-" + UUID.randomUUID().toString().substring(0, 8);
    String head = "{\"deviceId\":\"" + device + "\",\"pad\":\"";
    String exact = head + "x".repeat(limit - head.length() - 2) + "\"}";
    assertThat(exact.getBytes(StandardCharsets.UTF_8)).hasSize(limit);
    HttpResponse<String> r = service.ingest("test", exact);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);

    String hugeId = device + "-" + "i".repeat(500_000);
    String withHugeKey =
        "{\"deviceId\":\"" + hugeId + "\",\"pad\":\"" + "p".repeat(100_000) + "\"}";
    String small = "{\"deviceId\":\"" + hugeId + "\",\"heartRate\":60}";
    HttpResponse<String> batch = service.ingest("test", "[" + small + "," + withHugeKey + "]");
    assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
    assertThat(batch.body()).isEqualTo("{\"accepted\":2}");
    assertThat(values("test-events", device, 3)).containsExactly(exact, small, withHugeKey);
  }

  @Test
  void aRecordTheBrokerRefusesAsTooLargeIs413AndTheAnswerListsExactlyWhatWasWritten()
      throws Exception {
    try (Admin admin = service.bean(KafkaRuntime.class).clients().admin()) {
      admin
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.TOPIC, "small-events"),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("max.message.bytes", "20000"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    String device = "small-" + UUID.randomUUID().toString().substring(0, 8);
    String ok0 = "{\"deviceId\":\"" + device + "\",\"n\":0}";
    String big = "{\"deviceId\":\"" + device + "\",\"pad\":\"" + "x".repeat(30_000) + "\"}";
    String ok2 = "{\"deviceId\":\"" + device + "\",\"n\":2}";
    HttpResponse<String> r = service.ingest("small", "[" + ok0 + "," + big + "," + ok2 + "]");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
    JsonNode answer = JSON.readTree(r.body());
    assertThat(answer.get("code").asText()).isEqualTo("RecordTooLarge");
    assertThat(answer.get("message").asText())
        .contains("Message 1 of the array")
        .contains("max.message.bytes");
    List<Integer> accepted = new ArrayList<>();
    answer.get("acceptedMessages").forEach(n -> accepted.add(n.asInt()));
    assertThat(accepted).doesNotContain(1);
    List<String> expected = new ArrayList<>();
    for (int i : accepted) {
      expected.add(i == 0 ? ok0 : ok2);
    }
    assertThat(values("small-events", device, expected.size()))
        .as("what the answer says was accepted is what is in the topic")
        .containsExactlyElementsOf(expected);
  }

  @Test
  void loneSurrogateEscapesAndOverlongUtf8AreRefusedNamingTheMessageAndPosition() throws Exception {
    HttpResponse<String> surrogate =
        postBytes(
            "[{\"deviceId\":\"a\"},{\"deviceId\":\"dev\\ud800\"}]"
                .getBytes(StandardCharsets.US_ASCII));
    assertThat(surrogate.statusCode()).as(surrogate.body()).isEqualTo(400);
    assertThat(surrogate.body())
        .startsWith("{\"code\":\"InvalidUnicode\",\"message\":\"Message 1 of the array")
        .contains("lone surrogate (\\\\ud800)")
        .contains("at byte 30");

    ByteArrayOutputStream overlong = new ByteArrayOutputStream();
    overlong.writeBytes("{\"deviceId\":\"dev".getBytes(StandardCharsets.US_ASCII));
    overlong.write(0xC0);
    overlong.write(0xAF); // an overlong '/'
    overlong.writeBytes("1\"}".getBytes(StandardCharsets.US_ASCII));
    HttpResponse<String> bad = postBytes(overlong.toByteArray());
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
    assertThat(bad.body())
        .startsWith("{\"code\":\"InvalidUnicode\",\"message\":\"The message is not valid UTF-8")
        .contains("at byte 16 (0xC0");
  }

  @Test
  void moreMessagesThanTheLimitAreRefusedWith413TooManyMessages() throws Exception {
    String tiny = "1,".repeat(200_000) + "1";
    HttpResponse<String> r = service.ingest("test", "[" + tiny + "]");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
    assertThat(r.body())
        .startsWith("{\"code\":\"TooManyMessages\",\"message\":\"The array holds more than 1000")
        .contains("iomt.ingest.max-messages-per-request");
    HttpResponse<String> atTheLimit = service.ingest("test", "[" + "1,".repeat(999) + "1]");
    assertThat(atTheLimit.body()).isEqualTo("{\"accepted\":1000}");
  }

  @Test
  void unknownConnectorNamesInThePathAddNoMeters() throws Exception {
    MeterRegistry registry = service.bean(MeterRegistry.class);
    assertThat(service.ingest("no-such-connector", "{}").statusCode()).isEqualTo(404);
    // Other meters come and go in the background (lag gauges, stage freshness, Spring's
    // http.server meters of requests still finishing from other tests): count ingest's own; the
    // assertion below checks that no meter at all carries a name from the path.
    java.util.function.Supplier<Long> requestMeters =
        () ->
            registry.getMeters().stream()
                .map(m -> m.getId().getName())
                .filter(n -> n.startsWith("iomt.ingest"))
                .count();
    long before = requestMeters.get();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String name = "c" + UUID.randomUUID();
      names.add(name);
      assertThat(service.ingest(name, "{}").statusCode()).isEqualTo(404);
    }
    assertThat(requestMeters.get()).isEqualTo(before);
    assertThat(registry.getMeters())
        .allSatisfy(
            m ->
                assertThat(m.getId().getTags())
                    .noneMatch(
                        t ->
                            names.contains(t.getValue())
                                || t.getValue().contains(names.iterator().next())));
    assertThat(service.get("/actuator/prometheus", RunningService.API_KEY).body())
        .contains(
            "iomt_ingest_requests_refused_total{application=\"iomt-connector\","
                + "connector=\"unknown\",outcome=\"UnknownConnector\"}")
        .doesNotContain("connector=\"c");
  }

  @Test
  void containerLevelErrorsAndTheErrorPathAnswerTheJsonErrorShape() throws Exception {
    RawHttp.Answer escape =
        RawHttp.exchange(
            service.baseUrl, "POST /ingest/%zz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    assertJsonError(escape, 400, "BadRequest");
    RawHttp.Answer header =
        RawHttp.exchange(
            service.baseUrl,
            "GET /ingest/test HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
    assertJsonError(header, 400, "BadRequest");
    RawHttp.Answer requestLine = RawHttp.exchange(service.baseUrl, "G@T / HTTP/1.1\r\n\r\n");
    assertJsonError(requestLine, 400, "BadRequest");
    RawHttp.Answer error =
        RawHttp.exchange(service.baseUrl, "GET /error HTTP/1.1\r\nHost: x\r\n\r\n");
    assertJsonError(error, 404, "NotFound");
    assertThat(error.body()).doesNotContain("999");
    RawHttp.Answer noSuchPath =
        RawHttp.exchange(
            service.baseUrl, "GET /nothing-here HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\r\n");
    assertJsonError(noSuchPath, 404, "NotFound");
  }

  @Test
  void fiftySlowSendersFromOneAddressDoNotStarveANormalRequest() throws Exception {
    int slow = 50;
    String head =
        "POST /ingest/test HTTP/1.1\r\nHost: x\r\nX-API-Key: "
            + RunningService.API_KEY
            + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[";
    List<RawHttp> sockets = new ArrayList<>();
    ExecutorService readers = Executors.newFixedThreadPool(slow);
    AtomicBoolean dribbling = new AtomicBoolean(true);
    Thread dribbler = null;
    try {
      for (int i = 0; i < slow; i++) {
        RawHttp s = new RawHttp(service.baseUrl, "127.0.0.2");
        s.send(head.getBytes(StandardCharsets.US_ASCII));
        sockets.add(s);
      }
      CountDownLatch tooMany = new CountDownLatch(slow - PER_CLIENT);
      List<Future<Outcome>> outcomes = new ArrayList<>();
      for (RawHttp s : sockets) {
        outcomes.add(
            readers.submit(
                () -> {
                  RawHttp.Answer a = s.read();
                  if (a.status() == 429) {
                    tooMany.countDown();
                  }
                  return new Outcome(a, s.closedByServer());
                }));
      }
      List<RawHttp> open = new CopyOnWriteArrayList<>(sockets);
      dribbler =
          new Thread(
              () -> {
                // One byte of JSON whitespace per socket every 100 ms, for at most 2 minutes.
                for (int round = 0; round < 1200 && dribbling.get() && !open.isEmpty(); round++) {
                  for (RawHttp s : open) {
                    try {
                      s.send(new byte[] {' '});
                    } catch (IOException e) {
                      open.remove(s);
                    }
                  }
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "dribbler");
      dribbler.start();

      assertThat(tooMany.await(60, TimeUnit.SECONDS))
          .as("requests over the per-client limit are answered at once")
          .isTrue();
      HttpResponse<String> normal =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(service.baseUrl + "/ingest/test"))
                      .timeout(Duration.ofSeconds(60))
                      .header("X-API-Key", RunningService.API_KEY)
                      .POST(HttpRequest.BodyPublishers.ofString(ServiceIT.heartRate("ok", 0, 60)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(normal.statusCode()).as(normal.body()).isEqualTo(202);

      Map<Integer, Integer> byStatus = new HashMap<>();
      for (Future<Outcome> f : outcomes) {
        Outcome o = f.get(90, TimeUnit.SECONDS);
        assertThat(o.answer().headers().get("content-type")).startsWith("application/json");
        assertThat(o.answer().body())
            .startsWith(
                o.answer().status() == 429
                    ? "{\"code\":\"TooManyRequests\",\"message\":\"This client already has 5"
                    : "{\"code\":\"RequestTimeout\",\"message\":\"The request body did not arrive");
        assertThat(o.closed()).as("the connection of a refused slow request is closed").isTrue();
        byStatus.merge(o.answer().status(), 1, Integer::sum);
      }
      assertThat(byStatus).isEqualTo(Map.of(429, slow - PER_CLIENT, 408, PER_CLIENT));
    } finally {
      dribbling.set(false);
      if (dribbler != null) {
        dribbler.join();
      }
      readers.shutdownNow();
      for (RawHttp s : sockets) {
        s.close();
      }
    }
  }

  record Outcome(RawHttp.Answer answer, boolean closed) {}

  private static void assertJsonError(RawHttp.Answer a, int status, String code) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.headers().get("content-type"))
        .as(a.headers().toString())
        .startsWith("application/json");
    assertThat(a.body()).startsWith("{\"code\":\"" + code + "\",\"message\":\"");
  }

  private static HttpResponse<String> postBytes(byte[] body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(service.baseUrl + "/ingest/test"))
                .timeout(Duration.ofSeconds(60))
                .header("X-API-Key", RunningService.API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The values of the records in {@code topic} containing {@code marker}, in offset order. */
  private static List<String> values(String topic, String marker, int expected) {
    List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        service.bean(KafkaRuntime.class).clients().consumer("reader-" + UUID.randomUUID())) {
      c.subscribe(List.of(topic));
      // The poll itself waits; no pause between two polls.
      Await.atMost(Duration.ofSeconds(30))
          .every(Duration.ofMillis(1))
          .until(
              "records containing " + marker + " in " + topic + " (at least " + expected + ")",
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(250))) {
                  if (new String(r.value(), StandardCharsets.UTF_8).contains(marker)) {
                    found.add(r);
                  }
                }
                return found.size();
              },
              n -> n >= expected);
      // A little longer, to see nothing more than expected arrives.
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
        if (new String(r.value(), StandardCharsets.UTF_8).contains(marker)) {
          found.add(r);
        }
      }
    }
    found.sort(
        (a, b) ->
            a.partition() != b.partition()
                ? Long.compare(a.timestamp(), b.timestamp())
                : Long.compare(a.offset(), b.offset()));
    return found.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
  }
}
