package io.iomt.fhir.auth;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Checks {@link FhirAuthOptions} as a whole: every missing or malformed setting is a problem. */
final class AuthOptionsCheck {
  static final String TYPES =
      "none, bearer, oauth2, azure, azure-managed-identity, azure-client-secret,"
          + " azure-workload-identity, azure-default, azure-cli";

  /** The values of the shared credential's {@code type} setting. */
  static final String CREDENTIAL_TYPES =
      "managed-identity, workload-identity, client-secret, azure-cli, default";

  private final FhirAuthOptions options;
  private final SettingPaths paths;
  private final String requiredFor;
  private final List<SettingProblem> problems = new ArrayList<>();

  private AuthOptionsCheck(FhirAuthOptions options, SettingPaths paths, String requiredFor) {
    this.options = options;
    this.paths = paths;
    this.requiredFor = requiredFor;
  }

  static Validated<FhirAuthSettings> check(FhirAuthOptions options, SettingPaths paths) {
    AuthOptionsCheck check = new AuthOptionsCheck(options, paths, "required for this auth type");
    FhirAuthSettings settings = check.settings();
    return check.problems.isEmpty()
        ? new Validated.Valid<>(settings)
        : new Validated.Invalid<>(check.problems);
  }

  /**
   * Checks the shared Azure credential: empty when no {@code type} is set and no other setting
   * either; otherwise the checked settings or every problem.
   */
  static Validated<Optional<FhirAuthSettings.Azure>> checkCredential(
      AzureCredentialOptions options, SettingPaths paths) {
    String type = blankToNull(options.type());
    if (type == null) {
      List<SettingProblem> problems = new ArrayList<>();
      for (String[] setting :
          new String[][] {{"tenant-id", options.tenantId()}, {"client-id", options.clientId()}}) {
        if (blankToNull(setting[1]) != null) {
          problems.add(new SettingProblem(paths.of(setting[0]), "set, but no type is"));
        }
      }
      if (options.clientSecret() != null && !options.clientSecret().reveal().isBlank()) {
        problems.add(new SettingProblem(paths.of("client-secret"), "set, but no type is"));
      }
      if (!problems.isEmpty()) {
        problems.add(
            0, new SettingProblem(paths.of("type"), "missing (one of " + CREDENTIAL_TYPES + ")"));
        return new Validated.Invalid<>(problems);
      }
      return new Validated.Valid<>(Optional.empty());
    }
    FhirAuthSettings.Azure.Credential credential = null;
    for (FhirAuthSettings.Azure.Credential c : FhirAuthSettings.Azure.Credential.values()) {
      if (c.credentialType().equals(type.trim().toLowerCase(Locale.ROOT))) {
        credential = c;
      }
    }
    if (credential == null) {
      return new Validated.Invalid<>(
          List.of(
              new SettingProblem(
                  paths.of("type"), "'" + type + "' is not one of " + CREDENTIAL_TYPES)));
    }
    AuthOptionsCheck check =
        new AuthOptionsCheck(
            new FhirAuthOptions(
                credential.type(),
                null,
                null,
                options.clientId(),
                options.clientSecret(),
                null,
                options.tenantId()),
            paths,
            "required for this credential type");
    FhirAuthSettings.Azure settings = check.azure(credential);
    return check.problems.isEmpty()
        ? new Validated.Valid<>(Optional.of(settings))
        : new Validated.Invalid<>(check.problems);
  }

  /** Whether {@code type} names {@code azure} or one of the {@code azure-*} kinds. */
  static boolean isAzure(String type) {
    return normalized(type).equals("azure") || azureCredential(normalized(type)) != null;
  }

  /** Whether {@code type} is {@code azure}, the shared credential. */
  static boolean isSharedAzure(String type) {
    return normalized(type).equals("azure");
  }

  private static String normalized(String type) {
    return type == null ? "none" : type.trim().toLowerCase(Locale.ROOT);
  }

  private static FhirAuthSettings.Azure.Credential azureCredential(String type) {
    for (FhirAuthSettings.Azure.Credential credential :
        FhirAuthSettings.Azure.Credential.values()) {
      if (credential.type().equals(type)) {
        return credential;
      }
    }
    return null;
  }

  private FhirAuthSettings settings() {
    String type = normalized(options.type());
    switch (type) {
      case "none" -> {
        return new FhirAuthSettings.None();
      }
      case "azure" -> {
        return new FhirAuthSettings.SharedAzure();
      }
      case "bearer" -> {
        Secret token = require("token", options.token());
        return problems.isEmpty() ? new FhirAuthSettings.StaticToken(token) : null;
      }
      case "oauth2" -> {
        URI tokenUrl = httpUrl("token-url", options.tokenUrl());
        String clientId = require("client-id", options.clientId());
        Secret secret = require("client-secret", options.clientSecret());
        String scope = require("scope", options.scope());
        return problems.isEmpty()
            ? new FhirAuthSettings.OAuth2(tokenUrl, clientId, secret, scope)
            : null;
      }
      default -> {
        FhirAuthSettings.Azure.Credential credential = azureCredential(type);
        if (credential != null) {
          return azure(credential);
        }
        problems.add(
            new SettingProblem(
                paths.of("type"), "'" + options.type() + "' is not one of " + TYPES));
        return null;
      }
    }
  }

  private FhirAuthSettings.Azure azure(FhirAuthSettings.Azure.Credential credential) {
    String tenant = null;
    String client = blankToNull(options.clientId());
    Secret secret = null;
    switch (credential) {
      case CLIENT_SECRET -> {
        tenant = require("tenant-id", options.tenantId());
        client = require("client-id", options.clientId());
        secret = require("client-secret", options.clientSecret());
      }
      case WORKLOAD_IDENTITY -> {
        tenant = require("tenant-id", options.tenantId());
        client = require("client-id", options.clientId());
      }
      case MANAGED_IDENTITY -> {}
      case DEFAULT -> client = null;
      case AZURE_CLI -> {
        tenant = blankToNull(options.tenantId()) == null ? null : options.tenantId().trim();
        client = null;
      }
    }
    return problems.isEmpty()
        ? new FhirAuthSettings.Azure(credential, tenant, client, secret)
        : null;
  }

  private String require(String setting, String value) {
    String v = blankToNull(value);
    if (v == null) {
      missing(setting);
    }
    return v == null ? null : v.trim();
  }

  private Secret require(String setting, Secret value) {
    if (value == null || value.reveal().isBlank()) {
      missing(setting);
      return null;
    }
    return value;
  }

  private void missing(String setting) {
    problems.add(new SettingProblem(paths.of(setting), requiredFor));
  }

  private URI httpUrl(String setting, String value) {
    String v = require(setting, value);
    if (v == null) {
      return null;
    }
    try {
      URI uri = new URI(v);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below, like any other value that is not an http(s) URL
    }
    problems.add(
        new SettingProblem(
            paths.of(setting), "'" + withoutUserInfo(v) + "' is not an http(s) URL"));
    return null;
  }

  /** A URL may carry {@code user:password@}; it is never repeated in a problem. */
  private static String withoutUserInfo(String url) {
    return url.replaceFirst("//[^/@]*@", "//");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
