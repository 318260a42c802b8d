/**
 * The service's HTTP edge outside the controllers: every error it answers is the JSON shape {@code
 * {"code","message"}} ({@link io.iomt.service.web.JsonErrors}), whether Spring (the {@code /error}
 * controller) or Tomcat itself (a malformed request line, an oversized header, a bad URL escape)
 * refuses the request; a client address holds a bounded number of requests at once; and a refused
 * request's unread body is not drained, the connection is closed instead.
 */
package io.iomt.service.web;
