package io.iomt.service.ingest;

import org.springframework.http.MediaType;

/** Ingest takes JSON: {@code application/json}, any {@code +json} type, or no Content-Type. */
final class ContentTypes {
  private ContentTypes() {}

  /**
   * @throws IngestRefusal 415 for anything else
   */
  static void check(String contentType) {
    if (contentType == null) {
      return;
    }
    MediaType type;
    try {
      type = MediaType.parseMediaType(contentType);
    } catch (IllegalArgumentException e) {
      throw new IngestRefusal(
          RefusalCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + contentType + "' is not valid.");
    }
    if (!type.getSubtype().equals("json") && !type.getSubtype().endsWith("+json")) {
      throw new IngestRefusal(
          RefusalCode.UNSUPPORTED_MEDIA_TYPE,
          "Send JSON (Content-Type: application/json), not " + type + ".");
    }
  }
}
