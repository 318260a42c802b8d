package io.iomt.fhir.auth;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The one place FHIR authentication is built, shared by the service and the CLI: checks {@link
 * FhirAuthOptions} into {@link FhirAuthSettings} and builds the {@link TokenProvider}, reporting
 * every problem with its setting's path. No problem holds a secret's value, and nothing is logged.
 *
 * <p>The Azure kinds are built by an {@link AzureAuthProvider} found with {@link ServiceLoader}
 * (the iomt-azure module); without one, an Azure setting is a problem on {@code type}. Thread-safe.
 */
public final class FhirAuth {
  static final String NEEDS_IOMT_AZURE =
      "auth kind 'azure' needs the iomt-azure module on the classpath; the service has it, the CLI"
          + " does not";

  static final String NO_SHARED_CREDENTIAL =
      "auth type 'azure' uses the shared Azure credential, and none is configured (set"
          + " iomt.azure.credential.type, docs/configuration.md)";

  private final ClassLoader plugins;
  private final SharedAzureTokens shared;

  private FhirAuth(ClassLoader plugins, SharedAzureTokens shared) {
    this.plugins = Objects.requireNonNull(plugins, "plugins");
    this.shared = shared;
  }

  /** Finds the Azure provider with the class loader that loaded iomt-fhir. */
  public static FhirAuth onClasspath() {
    return new FhirAuth(FhirAuth.class.getClassLoader(), null);
  }

  /** Finds the Azure provider with {@code plugins} (tests, plug-in class loaders). */
  public static FhirAuth withPlugins(ClassLoader plugins) {
    return new FhirAuth(plugins, null);
  }

  /**
   * This factory, with auth type {@code azure} taking its tokens from {@code shared} (the program's
   * shared Azure credential). Without it, type {@code azure} is a problem on {@code type}.
   */
  public FhirAuth withSharedAzureCredential(SharedAzureTokens shared) {
    return new FhirAuth(plugins, Objects.requireNonNull(shared, "shared"));
  }

  /**
   * Checks the shared Azure credential settings (the service's {@code iomt.azure.credential.*}):
   * {@code Valid(empty)} when none is configured, the checked settings, or every problem named with
   * {@code paths}. No problem holds the client secret.
   */
  public static Validated<Optional<FhirAuthSettings.Azure>> azureCredential(
      AzureCredentialOptions options, SettingPaths paths) {
    return AuthOptionsCheck.checkCredential(options, paths);
  }

  /** Checks the options; every problem is named with {@code paths}. */
  public static Validated<FhirAuthSettings> settings(FhirAuthOptions options, SettingPaths paths) {
    return AuthOptionsCheck.check(options, paths);
  }

  /** Checks the options and builds the token provider: {@link #settings} then {@link #build}. */
  public Validated<TokenProvider> tokenProvider(
      FhirAuthOptions options, URI fhirUrl, Clock clock, SettingPaths paths) {
    boolean sharedAzure = shared != null && AuthOptionsCheck.isSharedAzure(options.type());
    if (AuthOptionsCheck.isAzure(options.type()) && !sharedAzure && !azureAvailable()) {
      return invalid(paths.of("type"), NEEDS_IOMT_AZURE); // the one problem worth fixing first
    }
    Validated<FhirAuthSettings> settings = settings(options, paths);
    if (settings instanceof Validated.Valid<FhirAuthSettings> valid) {
      return tokenProvider(valid.value(), fhirUrl, clock, paths);
    }
    return new Validated.Invalid<>(settings.problems());
  }

  /**
   * Builds the token provider for checked settings. Fetches no token: a wrong secret shows on the
   * first FHIR request, as a blocking {@code UnauthorizedAccessFhirServiceException}.
   *
   * @param fhirUrl the FHIR server's base URL (the audience of Azure tokens), not null
   */
  public Validated<TokenProvider> tokenProvider(
      FhirAuthSettings settings, URI fhirUrl, Clock clock, SettingPaths paths) {
    Objects.requireNonNull(fhirUrl, "fhirUrl");
    Objects.requireNonNull(clock, "clock");
    if (settings instanceof FhirAuthSettings.StaticToken s) {
      return new Validated.Valid<>(TokenProvider.staticToken(s.token()));
    }
    if (settings instanceof FhirAuthSettings.OAuth2 o) {
      return new Validated.Valid<>(
          new OAuth2ClientCredentials(
              o.tokenUrl(), o.clientId(), o.clientSecret(), o.scope(), clock));
    }
    if (settings instanceof FhirAuthSettings.Azure a) {
      return azure(a, fhirUrl, clock, paths);
    }
    if (settings instanceof FhirAuthSettings.SharedAzure) {
      return shared == null
          ? invalid(paths.of("type"), NO_SHARED_CREDENTIAL)
          : new Validated.Valid<>(shared.tokenProvider(fhirUrl, clock));
    }
    Objects.requireNonNull(settings, "settings");
    return new Validated.Valid<>(TokenProvider.none());
  }

  /** Whether an {@link AzureAuthProvider} is on the class path. */
  public boolean azureAvailable() {
    return azureProvider().isPresent();
  }

  private Validated<TokenProvider> azure(
      FhirAuthSettings.Azure settings, URI fhirUrl, Clock clock, SettingPaths paths) {
    Optional<AzureAuthProvider> provider = azureProvider();
    if (provider.isEmpty()) {
      return invalid(paths.of("type"), NEEDS_IOMT_AZURE);
    }
    try {
      return new Validated.Valid<>(provider.get().tokenProvider(settings, fhirUrl, clock));
    } catch (RuntimeException e) {
      return invalid(
          paths.of("type"),
          "Azure identity refused the settings ("
              + e.getClass().getSimpleName()
              + ": "
              + masked(String.valueOf(e.getMessage()), settings.clientSecret())
              + ")");
    }
  }

  private Optional<AzureAuthProvider> azureProvider() {
    return ServiceLoader.load(AzureAuthProvider.class, plugins).findFirst();
  }

  private static <T> Validated<T> invalid(String path, String message) {
    List<SettingProblem> problems = new ArrayList<>();
    problems.add(new SettingProblem(path, message));
    return new Validated.Invalid<>(problems);
  }

  /** A message from a library with the secret's value replaced, should the library echo it. */
  static String masked(String message, Secret secret) {
    if (secret == null || secret.reveal().isEmpty()) {
      return message;
    }
    return message.replace(secret.reveal(), secret.toString());
  }
}
