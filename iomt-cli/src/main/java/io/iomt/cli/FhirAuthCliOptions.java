package io.iomt.cli;

import io.iomt.fhir.auth.FhirAuth;
import io.iomt.fhir.auth.FhirAuthOptions;
import io.iomt.fhir.auth.Secret;
import io.iomt.fhir.auth.SettingPaths;
import io.iomt.fhir.auth.SettingProblem;
import io.iomt.fhir.auth.TokenProvider;
import io.iomt.fhir.auth.Validated;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The FHIR authentication options of {@code iomt mapping test --fhir-url}: the service's {@code
 * fhir.auth.*} settings as options, built by the factory the service uses ({@link FhirAuth}).
 * Secrets are read from environment variables named by the options, never from the command line,
 * which other users of the machine can see. The {@code azure-*} types need iomt-azure, which the
 * CLI does not ship, so they are refused with a message that says so.
 */
final class FhirAuthCliOptions {
  private static final Map<String, String> OPTION_OF =
      Map.of(
          "type", "--fhir-auth",
          "token", "--bearer-token-env",
          "token-url", "--token-url",
          "client-id", "--client-id",
          "client-secret", "--client-secret-env",
          "scope", "--scope");

  @Option(
      names = "--fhir-auth",
      paramLabel = "TYPE",
      description =
          "none, bearer or oauth2, as the service's fhir.auth.type (default: bearer with"
              + " --bearer-token-env, none otherwise). The azure-* types need the service.")
  String type;

  @Option(
      names = "--bearer-token-env",
      paramLabel = "VAR",
      description = "Name of an environment variable holding a bearer token for --fhir-url.")
  String tokenVariable;

  @Option(names = "--token-url", paramLabel = "URL", description = "oauth2: the token endpoint.")
  String tokenUrl;

  @Option(names = "--client-id", paramLabel = "ID", description = "oauth2: the client id.")
  String clientId;

  @Option(
      names = "--client-secret-env",
      paramLabel = "VAR",
      description = "oauth2: name of an environment variable holding the client secret.")
  String clientSecretVariable;

  @Option(names = "--scope", paramLabel = "SCOPE", description = "oauth2: the scope to ask for.")
  String scope;

  /**
   * The token provider for {@code fhirUrl}.
   *
   * @param env reads environment variables ({@code System::getenv} outside tests)
   * @throws IllegalArgumentException naming every problem, one {@code option: problem} per line
   */
  TokenProvider tokens(URI fhirUrl, Function<String, String> env) {
    List<SettingProblem> problems = new ArrayList<>();
    Secret token = secret("token", tokenVariable, env, problems);
    Secret clientSecret = secret("client-secret", clientSecretVariable, env, problems);
    String effectiveType = type != null ? type : tokenVariable != null ? "bearer" : "none";
    SettingPaths paths = setting -> OPTION_OF.getOrDefault(setting, "--fhir-auth");
    Validated<TokenProvider> tokens =
        FhirAuth.onClasspath()
            .tokenProvider(
                new FhirAuthOptions(
                    effectiveType, token, tokenUrl, clientId, clientSecret, scope, null),
                fhirUrl,
                Clock.systemUTC(),
                paths);
    List<String> unset = problems.stream().map(SettingProblem::path).toList();
    for (SettingProblem p : tokens.problems()) {
      if (!unset.contains(p.path())) {
        problems.add(p);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          String.join("\niomt: ", problems.stream().map(SettingProblem::toString).toList()));
    }
    return ((Validated.Valid<TokenProvider>) tokens).value();
  }

  /** The secret in the named variable; a named variable that is unset is a problem of its own. */
  private static Secret secret(
      String setting, String variable, Function<String, String> env, List<SettingProblem> out) {
    if (variable == null) {
      return null;
    }
    String value = env.apply(variable);
    if (value == null || value.isBlank()) {
      out.add(new SettingProblem(OPTION_OF.get(setting), variable + " is not set"));
      return null;
    }
    return Secret.of(value);
  }
}
