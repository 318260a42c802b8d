package io.iomt.service.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.service.management.StoredResource.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The management API's HTTP side: every path under {@code /subscriptions/} is read here (ARM reads
 * paths case-insensitively, so Spring's case-sensitive patterns are not used), checked for its
 * {@code api-version}, and handed to {@link ManagementService}. Answers and errors are ARM's: the
 * resource with its {@code etag}, {@code Azure-AsyncOperation} on long-running writes, {@code
 * {"error": {...}}} on every refusal.
 */
@RestController
@org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(
    name = "iomt.management.enabled",
    matchIfMissing = true)
public class ManagementController {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementController.class);

  /** ARM's own limit on a request body. */
  static final int MAX_BODY = 4 * 1024 * 1024;

  private final ManagementService service;
  private final ManagementService.Callers caller;

  /**
   * @param caller the authenticated caller of the current request
   */
  public ManagementController(ManagementService service, ManagementService.Callers caller) {
    this.service = service;
    this.caller = caller;
  }

  @RequestMapping("/subscriptions/**")
  ResponseEntity<JsonNode> handle(HttpServletRequest request) throws IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    List<String> s = segments(path);
    ArmNames.checkApiVersion(request.getParameter("api-version"));
    if (!service.ready()) {
      throw new ArmException(
          503,
          "ServiceUnavailable",
          "This replica is still reading the management store (or its broker is unreachable);"
              + " retry shortly.");
    }
    String method = request.getMethod();
    // /subscriptions/{sub}/providers/Microsoft.HealthcareApis/workspaces
    if (s.size() == 5 && eq(s.get(2), "providers") && eq(s.get(3), ResourceId.PROVIDER)) {
      if (eq(s.get(4), "workspaces")) {
        requireGet(method);
        return list(
            request, service.listWorkspaces(s.get(1), null, request.getParameter("$skipToken")));
      }
    }
    // /subscriptions/{sub}/providers/Microsoft.HealthcareApis/locations/{loc}/operationresults/{id}
    if (s.size() == 8
        && eq(s.get(2), "providers")
        && eq(s.get(3), ResourceId.PROVIDER)
        && eq(s.get(4), "locations")
        && (eq(s.get(6), "operationresults") || eq(s.get(6), "operationstatuses"))) {
      requireGet(method);
      return operation(path, s.get(1), s.get(7));
    }
    // /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.HealthcareApis/workspaces
    if (s.size() == 7
        && eq(s.get(2), "resourceGroups")
        && eq(s.get(4), "providers")
        && eq(s.get(5), ResourceId.PROVIDER)
        && eq(s.get(6), "workspaces")) {
      requireGet(method);
      return list(
          request, service.listWorkspaces(s.get(1), s.get(3), request.getParameter("$skipToken")));
    }
    if (s.size() >= 8 && s.size() % 2 == 1) {
      // a list of children: the parent's id, then the children's type
      ResourceId parent = parse(s.subList(0, s.size() - 1));
      ResourceType type =
          ResourceType.bySegment(s.get(s.size() - 1))
              .filter(t -> t.parent() == parent.type())
              .orElseThrow(() -> noRoute(path));
      requireGet(method);
      return list(request, service.listChildren(parent, type, request.getParameter("$skipToken")));
    }
    if (s.size() >= 8) {
      ResourceId id = parse(s);
      return switch (method) {
        case "GET" -> ok(service.get(id));
        case "PUT" -> write(request, id, put(request, id));
        case "PATCH" ->
            write(
                request, id, service.patch(id, body(request), ifMatch(request), caller.current()));
        case "DELETE" -> write(request, id, service.delete(id, ifMatch(request), caller.current()));
        default -> throw methodNotAllowed(method);
      };
    }
    throw noRoute(path);
  }

  private ManagementService.Result put(HttpServletRequest request, ResourceId id)
      throws IOException {
    ArmNames.checkNames(id);
    return service.put(
        id,
        body(request),
        ifMatch(request),
        request.getHeader(HttpHeaders.IF_NONE_MATCH),
        caller.current());
  }

  private ResponseEntity<JsonNode> ok(StoredResource r) {
    return ResponseEntity.ok().header(HttpHeaders.ETAG, r.etag()).body(view(r));
  }

  private ResponseEntity<JsonNode> write(
      HttpServletRequest request, ResourceId id, ManagementService.Result r) {
    ResponseEntity.BodyBuilder b = ResponseEntity.status(r.status());
    if (r.operation() != null) {
      String location = r.resource().body().path("location").asText("local");
      String status =
          base(request)
              + "/subscriptions/"
              + id.subscription()
              + "/providers/"
              + ResourceId.PROVIDER
              + "/locations/"
              + location.replace(" ", "").toLowerCase(java.util.Locale.ROOT)
              + "/operationresults/"
              + r.operation().id()
              + "?api-version="
              + ManagementService.API_VERSION;
      b.header("Azure-AsyncOperation", status);
      if (r.status() == 202) {
        b.header(HttpHeaders.LOCATION, status);
        b.header(HttpHeaders.RETRY_AFTER, "2");
      }
    }
    if (r.resource() == null || r.status() == 202 || r.status() == 204) {
      return b.build();
    }
    return b.header(HttpHeaders.ETAG, r.resource().etag()).body(view(r.resource()));
  }

  private ResponseEntity<JsonNode> operation(String path, String subscription, String id) {
    Operation op =
        service
            .operation(subscription, id)
            .orElseThrow(
                () ->
                    new ArmException(
                        404,
                        "OperationNotFound",
                        "No operation '"
                            + id
                            + "' is known here (operations of deleted resources are kept while"
                            + " the service runs)."));
    ObjectNode out = ManagementService.JSON.createObjectNode();
    out.put("id", path);
    out.put("name", op.id());
    out.put("status", op.status());
    out.put("startTime", op.startTime().toString());
    if (op.endTime() != null) {
      out.put("endTime", op.endTime().toString());
    }
    if (op.error() != null) {
      out.set("error", StoredResourceJson.write(op.error()));
    }
    out.putObject("properties");
    return ResponseEntity.ok(out);
  }

  private ResponseEntity<JsonNode> list(HttpServletRequest request, ManagementService.Page page) {
    ObjectNode out = ManagementService.JSON.createObjectNode();
    ArrayNode value = out.putArray("value");
    for (StoredResource r : page.value()) {
      value.add(view(r));
    }
    if (page.nextSkipToken() != null) {
      String url = base(request) + request.getRequestURI() + "?api-version=";
      out.put(
          "nextLink", url + ManagementService.API_VERSION + "&$skipToken=" + page.nextSkipToken());
    }
    return ResponseEntity.ok(out);
  }

  /** The resource as ARM shows it: the common fields first, the etag among them. */
  static ObjectNode view(StoredResource r) {
    ObjectNode out = ManagementService.JSON.createObjectNode();
    for (String f : List.of("id", "name", "type", "kind")) {
      if (r.body().has(f)) {
        out.set(f, r.body().get(f));
      }
    }
    if (r.etag() != null) {
      out.put("etag", r.etag());
    }
    for (java.util.Map.Entry<String, JsonNode> e : r.body().properties()) {
      if (!out.has(e.getKey())) {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return out;
  }

  @ExceptionHandler(ArmException.class)
  ResponseEntity<JsonNode> refused(ArmException e) {
    ObjectNode body = ManagementService.JSON.createObjectNode();
    body.set("error", StoredResourceJson.write(e.error()));
    return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON).body(body);
  }

  @ExceptionHandler(RuntimeException.class)
  ResponseEntity<JsonNode> failed(RuntimeException e) {
    LOG.error("A management request failed", e);
    return refused(
        new ArmException(
            500,
            "InternalServerError",
            "The request failed inside the service ("
                + e.getClass().getSimpleName()
                + ");"
                + " nothing is half-done: retry, and see the service's log."));
  }

  private static byte[] body(HttpServletRequest request) throws IOException {
    try (InputStream in = request.getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        if (out.size() > MAX_BODY) {
          throw new ArmException(
              413,
              "RequestEntityTooLarge",
              "The request body is larger than " + MAX_BODY + " bytes, ARM's limit.");
        }
      }
      return out.toByteArray();
    }
  }

  private static String ifMatch(HttpServletRequest request) {
    return request.getHeader(HttpHeaders.IF_MATCH);
  }

  private static String base(HttpServletRequest request) {
    String scheme = request.getScheme();
    int port = request.getServerPort();
    boolean defaultPort =
        scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
    return scheme
        + "://"
        + request.getServerName()
        + (defaultPort ? "" : ":" + port)
        + request.getContextPath();
  }

  private static ResourceId parse(List<String> s) {
    return ResourceId.parse(String.join("/", s))
        .orElseThrow(() -> noRoute("/" + String.join("/", s)));
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String p : Arrays.asList(path.split("/"))) {
      if (!p.isEmpty()) {
        out.add(URLDecoder.decode(p, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void requireGet(String method) {
    if (!method.equals("GET")) {
      throw methodNotAllowed(method);
    }
  }

  private static ArmException methodNotAllowed(String method) {
    return new ArmException(
        405, "MethodNotAllowed", "The method '" + method + "' is not allowed on this path.");
  }

  static ArmException noRoute(String path) {
    return new ArmException(
        404,
        "NoRegisteredProviderFound",
        "No resource of Microsoft.HealthcareApis is at '"
            + path
            + "'. Paths are /subscriptions/{sub}/resourceGroups/{rg}/providers/"
            + "Microsoft.HealthcareApis/workspaces/{ws}[/iotconnectors/{name}[/fhirdestinations/"
            + "{name}] | /fhirservices/{name}].");
  }

  private static boolean eq(String a, String b) {
    return a.equalsIgnoreCase(b);
  }
}
