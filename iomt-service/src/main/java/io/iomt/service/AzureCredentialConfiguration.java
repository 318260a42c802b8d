package io.iomt.service;

import io.iomt.azure.SharedAzureCredential;
import io.iomt.azure.keyvault.KeyVaultSecrets;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What every part of the service that talks to Azure takes: the one {@link SharedAzureCredential}
 * ({@code iomt.azure.credential.*}; {@code isConfigured()} is false when none is set) and the
 * {@link KeyVaultSecrets} holder of the settings that reference Key Vault, whose {@code
 * current(setting, boundValue)} suppliers follow secret rotations. Both are made while the
 * configuration is checked ({@link ConfigurationCheck}); {@link KeyVaultRefresh} re-reads the
 * secrets every {@code iomt.azure.key-vault.refresh-interval}.
 */
@Configuration(proxyBeanMethods = false)
class AzureCredentialConfiguration {

  @Bean
  SharedAzureCredential sharedAzureCredential(ServiceConfiguration config) {
    return config.azureCredential();
  }

  @Bean
  KeyVaultSecrets keyVaultSecrets(ServiceConfiguration config) {
    return config.keyVaultSecrets();
  }

  @Bean(destroyMethod = "close")
  KeyVaultRefresh keyVaultRefresh(KeyVaultSecrets secrets, IomtProperties properties) {
    Duration interval = properties.getAzure().getKeyVault().getRefreshInterval();
    return KeyVaultRefresh.start(secrets, interval);
  }
}
