package io.iomt.fhir.auth;

/**
 * Names the setting a problem is about, in the words of the place it came from: the service's
 * property tree or the CLI's options. The argument is the setting's property name ({@code type},
 * {@code token}, {@code token-url}, {@code client-id}, {@code client-secret}, {@code scope}, {@code
 * tenant-id}).
 */
@FunctionalInterface
public interface SettingPaths {

  /** The path shown for a setting, e.g. {@code iomt.connectors.icu.fhir.auth.client-id}. */
  String of(String setting);

  /** Settings below a property prefix: {@code under("a.b").of("c")} is {@code a.b.c}. */
  static SettingPaths under(String prefix) {
    return setting -> prefix + "." + setting;
  }
}
