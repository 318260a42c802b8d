package io.iomt.service.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /error}, where the servlet container forwards what Spring MVC refuses (no such path, a
 * wrong method, an exception): {@code {"code","message"}} with the original status, in JSON
 * whatever the client accepts. Requested directly it is just an unknown path: 404 (Spring Boot's
 * own error controller answered {@code "status":999}). Replaces Spring Boot's {@code
 * BasicErrorController}.
 */
@RestController
final class JsonErrorController implements ErrorController {
  @RequestMapping("/error")
  ResponseEntity<byte[]> error(HttpServletRequest request) {
    Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    if (!(status instanceof Integer code)) {
      return answer(404, "NotFound", "Not Found: no endpoint at /error.");
    }
    Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
    return answer(
        code,
        JsonErrors.codeFor(code),
        JsonErrors.messageFor(code, message == null ? null : message.toString()));
  }

  private static ResponseEntity<byte[]> answer(int status, String code, String message) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(JsonErrors.body(code, message));
  }
}
