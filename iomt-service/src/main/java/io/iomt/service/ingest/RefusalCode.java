package io.iomt.service.ingest;

/**
 * Why ingest refused a request: the HTTP status and the {@code code} of the JSON answer. A fixed
 * set, so it is also the bounded {@code outcome} tag of {@code iomt_ingest_requests_refused_total}.
 */
enum RefusalCode {
  UNKNOWN_CONNECTOR(404, "UnknownConnector"),
  NOT_AN_INGEST_CONNECTOR(409, "NotAnIngestConnector"),
  UNSUPPORTED_MEDIA_TYPE(415, "UnsupportedMediaType"),
  BAD_REQUEST(400, "BadRequest"),
  REQUEST_TIMEOUT(408, "RequestTimeout"),
  EMPTY_BODY(400, "EmptyBody"),
  EMPTY_BATCH(400, "EmptyBatch"),
  INVALID_JSON(400, "InvalidJson"),
  INVALID_UNICODE(400, "InvalidUnicode"),
  REQUEST_TOO_LARGE(413, "RequestTooLarge"),
  MESSAGE_TOO_LARGE(413, "MessageTooLarge"),
  TOO_MANY_MESSAGES(413, "TooManyMessages"),
  RECORD_TOO_LARGE(413, "RecordTooLarge"),
  EVENT_SOURCE_UNAUTHORIZED(503, "EventSourceUnauthorized"),
  BROKER_UNAVAILABLE(503, "BrokerUnavailable");

  final int status;
  final String code;

  RefusalCode(int status, String code) {
    this.status = status;
    this.code = code;
  }
}
