package io.iomt.service.web;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.ExceptionUtils;

/**
 * Tomcat's error report as {@code {"code","message"}} instead of an HTML page: what Tomcat answers
 * itself, before or outside Spring (a malformed request line, an oversized header, a bad URL escape
 * such as {@code /ingest/%zz}). Installed as the host's error report valve by {@link
 * WebErrorConfiguration}; Tomcat creates it reflectively, hence public with a no-argument
 * constructor. Thread-safe (stateless).
 */
public final class JsonErrorReportValve extends ErrorReportValve {
  public JsonErrorReportValve() {
    setShowReport(false);
    setShowServerInfo(false);
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    String json =
        new String(
            JsonErrors.body(
                JsonErrors.codeFor(status), JsonErrors.messageFor(status, response.getMessage())),
            StandardCharsets.UTF_8);
    try {
      response.setContentType("application/json");
      response.setCharacterEncoding("utf-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(json);
        response.finishResponse();
      }
    } catch (Throwable t) {
      ExceptionUtils.handleThrowable(t);
    }
  }
}
