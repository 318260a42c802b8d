package io.iomt.azure.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class KeyVaultReferenceTest {

  @Test
  void aSecretUriNamesTheVaultByUrlAndFollowsTheLatestVersion() {
    KeyVaultReference r =
        KeyVaultReference.parse(
            "@Microsoft.KeyVault(SecretUri=https://myvault.vault.azure.net/secrets/mysecret)");

    assertThat(r.vault())
        .isEqualTo(new KeyVaultReference.VaultUrl(URI.create("https://myvault.vault.azure.net")));
    assertThat(r.secretName()).isEqualTo("mysecret");
    assertThat(r.version()).isNull();
    assertThat(r.followsLatest()).isTrue();
    assertThat(r.describe()).isEqualTo("secret 'mysecret' in vault 'myvault.vault.azure.net'");
  }

  @Test
  void aSecretUriWithAVersionOrATrailingSlashParses() {
    assertThat(
            KeyVaultReference.parse(
                    "  @Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/s/0123abcd)")
                .version())
        .isEqualTo("0123abcd");
    assertThat(
            KeyVaultReference.parse(
                    "@microsoft.keyvault(SecretUri=https://v.vault.azure.net:443/secrets/s/)")
                .vault()
                .display())
        .isEqualTo("v.vault.azure.net:443");
  }

  @Test
  void vaultNameAndSecretNameWithAnOptionalVersionParse() {
    KeyVaultReference r =
        KeyVaultReference.parse(
            "@Microsoft.KeyVault(VaultName=myvault; SecretName=mysecret;SecretVersion=abc123)");

    assertThat(r)
        .isEqualTo(
            new KeyVaultReference(
                new KeyVaultReference.VaultName("myvault"), "mysecret", "abc123"));
    assertThat(r.followsLatest()).isFalse();
    assertThat(
            KeyVaultReference.parse("@Microsoft.KeyVault(VaultName=myvault;SecretName=s)")
                .version())
        .isNull();
  }

  @Test
  void onlyValuesStartingWithTheMarkerAreReferences() {
    assertThat(KeyVaultReference.isReference("@Microsoft.KeyVault(VaultName=a;SecretName=b)"))
        .isTrue();
    assertThat(KeyVaultReference.isReference("plain-secret")).isFalse();
    assertThat(KeyVaultReference.isReference("x@Microsoft.KeyVault(")).isFalse();
    assertThat(KeyVaultReference.isReference(null)).isFalse();
  }

  @Test
  void malformedReferencesSayWhatIsWrong() {
    assertThatThrownBy(() -> KeyVaultReference.parse("@Microsoft.KeyVault(VaultName=myvault"))
        .hasMessage("a Key Vault reference ends with ')'");
    assertThatThrownBy(() -> KeyVaultReference.parse("@Microsoft.KeyVault(VaultName=myvault)"))
        .hasMessageStartingWith("a Key Vault reference has SecretUri=..., or VaultName=");
    assertThatThrownBy(
            () ->
                KeyVaultReference.parse(
                    "@Microsoft.KeyVault(SecretUri=http://v.vault.azure.net/secrets/s)"))
        .hasMessageStartingWith("SecretUri must be https://");
    assertThatThrownBy(
            () ->
                KeyVaultReference.parse(
                    "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/keys/k)"))
        .hasMessage("SecretUri's path must be /secrets/<name>[/<version>]");
    assertThatThrownBy(
            () -> KeyVaultReference.parse("@Microsoft.KeyVault(VaultName=a_b;SecretName=s)"))
        .hasMessageContaining("is no vault name");
    assertThatThrownBy(
            () ->
                KeyVaultReference.parse(
                    "@Microsoft.KeyVault(VaultName=vault;SecretName=s;Secret=x)"))
        .hasMessageContaining("(unknown: secret)");
  }
}
