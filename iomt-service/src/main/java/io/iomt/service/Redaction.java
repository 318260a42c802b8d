package io.iomt.service;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the service may show of a URL, a message or a setting: the one place that removes user info
 * ({@code https://user:password@host}) from every FHIR URL it prints (health, logs, configuration
 * problems), search values (device and patient identifiers in {@code ?identifier=...}) from stage
 * messages, and that knows which settings hold secrets. Stateless and thread-safe; every method
 * accepts null and returns null for it.
 */
public final class Redaction {
  /** {@code scheme://userinfo@}: everything up to the last {@code @} before the path. */
  private static final Pattern USER_INFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/?#\\s]*@");

  /** A query parameter's value: {@code ?identifier=abc} or {@code &subject=Patient/1}. */
  private static final Pattern QUERY_VALUE =
      Pattern.compile("([?&][A-Za-z0-9_.:-]+=)[^&\\s,;)\"']*");

  /**
   * A secret part of a connection string or form ({@code SharedAccessKey=...;}, {@code
   * AccountKey=...}, {@code client_secret=...}) or an authorization header's credentials.
   */
  private static final Pattern INLINE_SECRET =
      Pattern.compile(
          "(?i)\\b((?:SharedAccessKey|SharedAccessSignature|AccountKey|Password|Pwd|client_secret"
              + "|access_token|refresh_token|sig)\\s*=\\s*|(?:Bearer|Basic)\\s+)[^;&\\s,\"']+");

  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i).*(password|passwd|secret|token|api-?keys?|apikey|credential|connection-?string"
              + "|sas|private-?key|jaas).*");

  private Redaction() {}

  /**
   * The URL without user info and with every query value replaced by {@code …} (a query may carry a
   * key, e.g. {@code ?code=...}); otherwise unchanged.
   */
  public static String url(URI url) {
    return url == null ? null : url(url.toString());
  }

  /**
   * The URL text without user info and query values, also when it is no valid URI (a configuration
   * error shows what was configured, minus the parts that may be secret).
   */
  public static String url(String url) {
    if (url == null) {
      return null;
    }
    Matcher m = QUERY_VALUE.matcher(USER_INFO.matcher(url).replaceAll("$1"));
    return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1)) + "…");
  }

  /**
   * The URL as a page may show it: scheme, host, port and path only, without user info, query and
   * fragment (a query may carry a key, user info a password).
   */
  public static String bareUrl(URI url) {
    // Neither user info nor host may hold an unencoded '?' or '#': the first one starts the rest.
    return url == null ? null : url(url.toString().replaceFirst("[?#].*$", ""));
  }

  /** The URI without user info, for use (never needed: Java's HTTP client does not send it). */
  public static URI withoutUserInfo(URI url) {
    if (url == null || url.getRawUserInfo() == null) {
      return url;
    }
    return URI.create(USER_INFO.matcher(url.toString()).replaceAll("$1"));
  }

  /**
   * A message for readers without access to the data: user info removed from every URL in it, every
   * query value replaced by {@code …}, so {@code GET Device?identifier=sys|dev-1} reads {@code GET
   * Device?identifier=…}, and the keys of connection strings ({@code SharedAccessKey=…}, {@code
   * AccountKey=…}) and credentials of authorization headers ({@code Bearer …}) masked.
   */
  public static String message(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = INLINE_SECRET.matcher(url(text));
    return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1)) + "…");
  }

  /** Whether a setting's name says it holds a secret, so its value is never shown. */
  public static boolean isSecretName(String propertyName) {
    return propertyName != null
        && SECRET_NAME.matcher(propertyName.toLowerCase(Locale.ROOT)).matches();
  }
}
