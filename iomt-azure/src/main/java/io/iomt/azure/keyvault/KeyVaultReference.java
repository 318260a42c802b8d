package io.iomt.azure.keyvault;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A setting's value that names a Key Vault secret instead of holding one, in Azure App Service's
 * syntax: {@code @Microsoft.KeyVault(SecretUri=https://myvault.vault.azure.net/secrets/mysecret)}
 * (optionally {@code /<version>}) or
 * {@code @Microsoft.KeyVault(VaultName=myvault;SecretName=mysecret[;SecretVersion=<version>])}. A
 * reference holds no secret, so it may be shown.
 *
 * @param vault where the secret is, never null
 * @param secretName the secret's name, never null
 * @param version a pinned version, or null for the latest (which a refresh follows)
 */
public record KeyVaultReference(Vault vault, String secretName, String version) {
  private static final String PREFIX = "@microsoft.keyvault(";
  private static final Pattern VAULT_NAME =
      Pattern.compile("[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]");
  private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9-]{1,127}");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9]{1,64}");

  /** Where a secret is: a vault URL, or a vault name (resolved with the cloud's DNS suffix). */
  public sealed interface Vault {
    /** How errors name the vault: its name, or its URL's host (and port). */
    String display();
  }

  /** A vault by URL, from {@code SecretUri}: {@code https://<host>[:port]}. */
  public record VaultUrl(URI url) implements Vault {
    public VaultUrl {
      Objects.requireNonNull(url, "url");
    }

    @Override
    public String display() {
      return url.getAuthority();
    }
  }

  /** A vault by name, from {@code VaultName}. */
  public record VaultName(String name) implements Vault {
    public VaultName {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String display() {
      return name;
    }
  }

  public KeyVaultReference {
    Objects.requireNonNull(vault, "vault");
    Objects.requireNonNull(secretName, "secretName");
  }

  /** Whether the value is meant as a reference ({@code @Microsoft.KeyVault(...)}, any case). */
  public static boolean isReference(String value) {
    return value != null && value.strip().toLowerCase(Locale.ROOT).startsWith(PREFIX);
  }

  /**
   * Parses a reference.
   *
   * @throws IllegalArgumentException saying what is wrong with it (the message repeats no part of
   *     the value but names it may contain: vault, secret, version)
   */
  public static KeyVaultReference parse(String value) {
    if (!isReference(value)) {
      throw new IllegalArgumentException("not a Key Vault reference (@Microsoft.KeyVault(...))");
    }
    String v = value.strip();
    if (!v.endsWith(")")) {
      throw new IllegalArgumentException("a Key Vault reference ends with ')'");
    }
    String body = v.substring(PREFIX.length(), v.length() - 1).strip();
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : body.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "each part of a Key Vault reference is Name=value (SecretUri=..., or VaultName=...;"
                + "SecretName=...[;SecretVersion=...])");
      }
      parts.put(
          part.substring(0, eq).strip().toLowerCase(Locale.ROOT), part.substring(eq + 1).strip());
    }
    if (parts.containsKey("secreturi")) {
      if (parts.size() > 1) {
        throw new IllegalArgumentException("SecretUri goes alone in a Key Vault reference");
      }
      return fromUri(parts.get("secreturi"));
    }
    String vault = parts.remove("vaultname");
    String secret = parts.remove("secretname");
    String version = parts.remove("secretversion");
    if (vault == null || secret == null || !parts.isEmpty()) {
      throw new IllegalArgumentException(
          "a Key Vault reference has SecretUri=..., or VaultName=...;SecretName=...[;SecretVersion=...]"
              + (parts.isEmpty() ? "" : " (unknown: " + String.join(", ", parts.keySet()) + ")"));
    }
    if (!VAULT_NAME.matcher(vault).matches()) {
      throw new IllegalArgumentException(
          "VaultName '" + vault + "' is no vault name (3-24 letters, digits and '-')");
    }
    return new KeyVaultReference(
        new VaultName(vault),
        secretName(secret),
        version == null || version.isEmpty() ? null : version(version));
  }

  private static KeyVaultReference fromUri(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("SecretUri is not a URL (" + e.getReason() + ")");
    }
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "SecretUri must be https://<vault>.vault.azure.net/secrets/<name>[/<version>]");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("SecretUri has no user info, query or fragment");
    }
    String[] path = uri.getPath().replaceAll("/+$", "").split("/");
    // "", "secrets", name[, version]
    if (path.length < 3 || path.length > 4 || !path[0].isEmpty() || !path[1].equals("secrets")) {
      throw new IllegalArgumentException("SecretUri's path must be /secrets/<name>[/<version>]");
    }
    URI vault = URI.create("https://" + uri.getRawAuthority());
    return new KeyVaultReference(
        new VaultUrl(vault), secretName(path[2]), path.length == 4 ? version(path[3]) : null);
  }

  private static String secretName(String name) {
    if (!SECRET_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'" + name + "' is no secret name (1-127 letters, digits and '-')");
    }
    return name;
  }

  private static String version(String version) {
    if (!VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("'" + version + "' is no secret version");
    }
    return version;
  }

  /** Whether a refresh can bring a new value: no version is pinned. */
  public boolean followsLatest() {
    return version == null;
  }

  /** {@code secret 'name' (version v) in vault 'x'}: how messages name the secret. */
  public String describe() {
    return "secret '"
        + secretName
        + "'"
        + (version == null ? "" : " (version " + version + ")")
        + " in vault '"
        + vault.display()
        + "'";
  }
}
