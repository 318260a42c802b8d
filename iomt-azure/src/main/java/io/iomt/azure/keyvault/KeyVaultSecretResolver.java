package io.iomt.azure.keyvault;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.CredentialUnavailableException;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import io.iomt.azure.SharedAzureCredential;
import io.iomt.azure.keyvault.KeyVaultSecretException.Reason;
import io.iomt.fhir.auth.Secret;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the secrets that {@link KeyVaultReference}s name, with the SDK's {@link SecretClient} (one
 * per vault, made on first use and kept) and the given credential. Every read goes to the vault
 * (nothing is cached here; {@link KeyVaultSecrets} holds the values). Failures become {@link
 * KeyVaultSecretException}s naming the setting, the vault and the secret, never the value.
 *
 * <p>Production uses the SDK's defaults (HTTP client, retries, challenge resource verification);
 * tests inject an HTTP client trusting a fake vault's certificate, a vault-name mapping and fewer
 * retries through the {@link Builder}. Thread-safe.
 */
public final class KeyVaultSecretResolver {
  private static final Pattern ERROR_CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Za-z]+)\"");

  private final TokenCredential credential;
  private final Function<String, URI> vaultUrls;
  private final HttpClient httpClient;
  private final RetryOptions retryOptions;
  private final boolean verifyChallengeResource;
  private final Map<URI, SecretClient> clients = new ConcurrentHashMap<>();

  private KeyVaultSecretResolver(Builder b) {
    this.credential = b.credential;
    this.vaultUrls = b.vaultUrls;
    this.httpClient = b.httpClient;
    this.retryOptions = b.retryOptions;
    this.verifyChallengeResource = b.verifyChallengeResource;
  }

  /**
   * The production resolver: the shared credential (built when the first secret is read), vaults
   * named {@code <name>.<dnsSuffix>}, the SDK's defaults otherwise.
   */
  public static KeyVaultSecretResolver of(SharedAzureCredential credential, String dnsSuffix) {
    return builder(credential.deferred()).vaultDnsSuffix(dnsSuffix).build();
  }

  /** A resolver reading with {@code credential} (the shared Azure credential in the service). */
  public static Builder builder(TokenCredential credential) {
    return new Builder(credential);
  }

  /** The vault URL a reference reads from. */
  public URI vaultUrl(KeyVaultReference reference) {
    if (reference.vault() instanceof KeyVaultReference.VaultUrl u) {
      return u.url();
    }
    return vaultUrls.apply(((KeyVaultReference.VaultName) reference.vault()).name());
  }

  /**
   * Reads the secret now.
   *
   * @param setting the setting whose value the reference is, for messages
   * @return the value (masked when printed) and the version read
   * @throws KeyVaultSecretException when the secret cannot be read
   */
  public ResolvedSecret resolve(String setting, KeyVaultReference reference) {
    Objects.requireNonNull(setting, "setting");
    URI vault = vaultUrl(reference);
    try {
      KeyVaultSecret secret =
          client(vault)
              .getSecret(
                  reference.secretName(), reference.version() == null ? "" : reference.version());
      if (secret.getValue() == null) {
        throw new KeyVaultSecretException(
            setting, reference, Reason.OTHER, "has no value (a disabled secret?)", null);
      }
      return new ResolvedSecret(Secret.of(secret.getValue()), secret.getProperties().getVersion());
    } catch (ResourceNotFoundException e) {
      throw new KeyVaultSecretException(
          setting,
          reference,
          Reason.NOT_FOUND,
          "was not found (" + code(e, "SecretNotFound") + "); check the name and version",
          e);
    } catch (CredentialUnavailableException e) {
      throw new KeyVaultSecretException(
          setting,
          reference,
          Reason.ACCESS_DENIED,
          "could not be read: the shared Azure credential got no token ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    } catch (ClientAuthenticationException e) {
      throw denied(setting, reference, e.getResponse() == null ? "no token" : "401", e);
    } catch (HttpResponseException e) {
      int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
      if (status == 403) {
        throw denied(setting, reference, "403 " + code(e, "Forbidden"), e);
      }
      if (status >= 500 || status == 429 || status == 408) {
        throw unreachable(setting, reference, vault, "answered " + status, e);
      }
      throw new KeyVaultSecretException(
          setting,
          reference,
          Reason.OTHER,
          "could not be read (" + status + " " + code(e, "?") + ")",
          e);
    } catch (KeyVaultSecretException e) {
      throw e;
    } catch (RuntimeException e) {
      if (isNetwork(e)) {
        throw unreachable(setting, reference, vault, "did not answer (" + rootName(e) + ")", e);
      }
      throw new KeyVaultSecretException(
          setting, reference, Reason.OTHER, "could not be read (" + rootName(e) + ")", e);
    }
  }

  private SecretClient client(URI vault) {
    return clients.computeIfAbsent(
        vault,
        url -> {
          SecretClientBuilder builder =
              new SecretClientBuilder().vaultUrl(url.toString()).credential(credential);
          if (httpClient != null) {
            builder.httpClient(httpClient);
          }
          if (retryOptions != null) {
            builder.retryOptions(retryOptions);
          }
          if (!verifyChallengeResource) {
            builder.disableChallengeResourceVerification();
          }
          return builder.buildClient();
        });
  }

  private static KeyVaultSecretException denied(
      String setting, KeyVaultReference reference, String status, RuntimeException e) {
    return new KeyVaultSecretException(
        setting,
        reference,
        Reason.ACCESS_DENIED,
        "could not be read: access refused ("
            + status
            + "); give the connector's identity the 'Key Vault Secrets User' role on the vault",
        e);
  }

  private static KeyVaultSecretException unreachable(
      String setting, KeyVaultReference reference, URI vault, String what, RuntimeException e) {
    return new KeyVaultSecretException(
        setting, reference, Reason.UNREACHABLE, "could not be read: " + vault + " " + what, e);
  }

  /** Key Vault's error code from the answer, e.g. {@code SecretNotFound}. */
  private static String code(HttpResponseException e, String fallback) {
    Matcher m = ERROR_CODE.matcher(String.valueOf(e.getMessage()));
    return m.find() ? m.group(1) : fallback;
  }

  private static boolean isNetwork(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static String rootName(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName();
  }

  /**
   * A secret's value as read, and the version it came from.
   *
   * @param value never null; masked when printed
   * @param version the version read, null if the vault named none
   */
  public record ResolvedSecret(Secret value, String version) {
    public ResolvedSecret {
      Objects.requireNonNull(value, "value");
    }
  }

  /** Options of a resolver; production needs none of them. Not thread-safe. */
  public static final class Builder {
    private final TokenCredential credential;
    private Function<String, URI> vaultUrls = byDnsSuffix("vault.azure.net");
    private HttpClient httpClient;
    private RetryOptions retryOptions;
    private boolean verifyChallengeResource = true;

    private Builder(TokenCredential credential) {
      this.credential = Objects.requireNonNull(credential, "credential");
    }

    /**
     * The DNS suffix {@code VaultName} references resolve with: {@code vault.azure.net} (default),
     * {@code vault.azure.cn}, {@code vault.usgovcloudapi.net}.
     */
    public Builder vaultDnsSuffix(String suffix) {
      this.vaultUrls = byDnsSuffix(Objects.requireNonNull(suffix, "suffix"));
      return this;
    }

    /** Where a {@code VaultName} reference reads from (tests: a fake vault's URL). */
    public Builder vaultUrls(Function<String, URI> vaultUrls) {
      this.vaultUrls = Objects.requireNonNull(vaultUrls, "vaultUrls");
      return this;
    }

    /** The HTTP client (tests: one trusting a fake vault's certificate); SDK default otherwise. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** Retries of reads that fail for the network or a 5xx; the SDK's default otherwise. */
    public Builder retryOptions(RetryOptions retryOptions) {
      this.retryOptions = Objects.requireNonNull(retryOptions, "retryOptions");
      return this;
    }

    /**
     * Accepts a bearer challenge whose resource is not the vault's domain: for a fake vault on
     * loopback only. Key Vault itself always passes the check.
     */
    public Builder disableChallengeResourceVerification() {
      this.verifyChallengeResource = false;
      return this;
    }

    public KeyVaultSecretResolver build() {
      return new KeyVaultSecretResolver(this);
    }

    private static Function<String, URI> byDnsSuffix(String suffix) {
      return name -> URI.create("https://" + name + "." + suffix);
    }
  }
}
