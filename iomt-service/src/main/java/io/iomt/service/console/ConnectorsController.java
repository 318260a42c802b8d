package io.iomt.service.console;

import io.iomt.service.management.security.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's session and connectors endpoints (docs/console.md, "Session" and "Connectors"): who
 * the caller is, every running connector with its health, stages, totals and lag, and a connector's
 * history. Authentication and roles are checked before a request gets here ({@code
 * ManagementSecurityConfiguration}: GET needs a reader). Thread-safe (stateless).
 */
@RestController
@RequestMapping(path = "/api/console", produces = MediaType.APPLICATION_JSON_VALUE)
final class ConnectorsController {
  private final ConnectorReports reports;
  private final ConnectorHistory history;

  ConnectorsController(ConnectorReports reports, ConnectorHistory history) {
    this.reports = reports;
    this.history = history;
  }

  /** The caller's roles, weakest first: {@code ["reader"]} or {@code ["reader","contributor"]}. */
  @GetMapping("/session")
  Map<String, List<String>> session(Authentication caller) {
    return Map.of("roles", roles(caller));
  }

  static List<String> roles(Authentication caller) {
    List<String> roles = new ArrayList<>();
    if (caller == null) {
      return roles;
    }
    Set<String> authorities =
        caller.getAuthorities().stream()
            .map(GrantedAuthority::getAuthority)
            .collect(Collectors.toSet());
    for (Role role : Role.values()) {
      if (authorities.contains(role.authority())) {
        roles.add(role.setting());
      }
    }
    return roles;
  }

  @GetMapping("/connectors")
  List<ConnectorReport> connectors() {
    return reports.all();
  }

  @GetMapping("/connectors/{name}/history")
  ResponseEntity<Object> history(@PathVariable("name") String name) {
    if (!reports.exists(name)) {
      return notFound(name);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("intervalSeconds", history.interval().toSeconds());
    body.put("points", history.points(name));
    return ResponseEntity.ok(body);
  }

  private static ResponseEntity<Object> notFound(String name) {
    Map<String, String> error = new LinkedHashMap<>();
    error.put("code", "ConnectorNotFound");
    error.put("message", "No connector named '" + name + "' runs on this service.");
    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", error));
  }
}
