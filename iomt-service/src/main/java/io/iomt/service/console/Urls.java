package io.iomt.service.console;

import java.net.URI;

/** URLs as the console may show them: without user info, query or fragment. */
final class Urls {
  private Urls() {}

  /** {@code scheme://host:port/path} of {@code url}; the text before any {@code ?} otherwise. */
  static String withoutSecrets(URI url) {
    if (url == null) {
      return null;
    }
    if (url.getHost() == null) {
      String s = url.toString();
      int cut = s.indexOf('?');
      return cut < 0 ? s : s.substring(0, cut);
    }
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }
}
