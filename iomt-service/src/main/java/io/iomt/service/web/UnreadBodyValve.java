package io.iomt.service.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * After an error answer (4xx/5xx) to a request whose body was not read to its end (refused for its
 * key, its size, its client's request count or a read deadline), the connection is closed instead
 * of Tomcat draining the rest of the body on the worker thread: a client that dribbles a large body
 * would otherwise hold the thread after its refusal. It runs on the host, around the error report
 * and error pages, so the answer is complete when the exchange is marked as closing; an answer not
 * committed yet gets {@code Connection: close}, one committed earlier set it itself ({@link
 * JsonErrors#closeIfBodyUnread}). Thread-safe (stateless).
 */
final class UnreadBodyValve extends ValveBase {
  UnreadBodyValve() {
    super(true);
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    try {
      getNext().invoke(request, response);
    } finally {
      if (response.getStatus() >= 400 && !request.isAsyncStarted()) {
        AtomicBoolean fullyRead = new AtomicBoolean(true);
        request.getCoyoteRequest().action(ActionCode.REQUEST_BODY_FULLY_READ, fullyRead);
        if (!fullyRead.get()) {
          if (!response.isCommitted()) {
            response.setHeader("Connection", "close");
          }
          request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
      }
    }
  }
}
