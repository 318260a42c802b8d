package io.iomt.service.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The service's error body, {@code {"code","message"}} (plus optional extra fields after them),
 * written with one shared, thread-safe {@link ObjectMapper}. Stateless and thread-safe.
 */
public final class JsonErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonErrors() {}

  /** The body for a code and message (neither null). */
  public static byte[] body(String code, String message) {
    return body(code, message, Map.of());
  }

  /** The body with extra fields after {@code code} and {@code message}, in the map's order. */
  public static byte[] body(String code, String message, Map<String, ?> extra) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("code", code);
    fields.put("message", message);
    fields.putAll(extra);
    try {
      return JSON.writeValueAsBytes(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("An error body could not be written", e);
    }
  }

  /**
   * Answers a request with a JSON error before reading its body (a 401 also gets {@code
   * WWW-Authenticate: Bearer}); the response must not be committed yet.
   */
  public static void write(
      HttpServletRequest request,
      HttpServletResponse response,
      int status,
      String code,
      String message)
      throws IOException {
    response.setStatus(status);
    closeIfBodyUnread(request, response);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    if (status == 401) {
      response.setHeader("WWW-Authenticate", "Bearer");
    }
    response.getOutputStream().write(body(code, message));
  }

  /**
   * Asks for the connection to be closed after an answer given before the request's body was read
   * ({@code Connection: close}): the client then knows not to reuse it, and the server does not
   * drain the rest of the body ({@link UnreadBodyValve} closes it).
   */
  public static void closeIfBodyUnread(HttpServletRequest request, HttpServletResponse response) {
    if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
      response.setHeader("Connection", "close");
    }
  }

  /** The code for an HTTP status that no controller chose, e.g. 404 {@code NotFound}. */
  public static String codeFor(int status) {
    return switch (status) {
      case 400 -> "BadRequest";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 405 -> "MethodNotAllowed";
      case 406 -> "NotAcceptable";
      case 408 -> "RequestTimeout";
      case 413 -> "RequestTooLarge";
      case 414 -> "UriTooLong";
      case 415 -> "UnsupportedMediaType";
      case 429 -> "TooManyRequests";
      case 503 -> "Unavailable";
      default -> status >= 500 ? "InternalError" : "Http" + status;
    };
  }

  /**
   * The message for a status that no controller chose: the container's own text for a client error
   * (it says what was wrong with the request), the reason phrase otherwise; never an exception's
   * text for a server error.
   */
  public static String messageFor(int status, String containerMessage) {
    HttpStatus known = HttpStatus.resolve(status);
    String reason = known == null ? "HTTP " + status : known.getReasonPhrase();
    if (status >= 500) {
      return reason + ": the service could not answer this request; its log says why.";
    }
    if (containerMessage == null || containerMessage.isBlank()) {
      return reason + ".";
    }
    String text = containerMessage.strip();
    return reason + ": " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
  }
}
