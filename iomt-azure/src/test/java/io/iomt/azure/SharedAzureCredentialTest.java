package io.iomt.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.AzureCliCredential;
import com.azure.identity.ClientSecretCredential;
import io.iomt.fhir.auth.FhirAuthSettings;
import io.iomt.fhir.auth.FhirAuthSettings.Azure.Credential;
import io.iomt.fhir.auth.Secret;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class SharedAzureCredentialTest {

  @Test
  void noneIsNotConfiguredAndRefusesToHandOutACredential() {
    SharedAzureCredential none = SharedAzureCredential.none();

    assertThat(none.isConfigured()).isFalse();
    assertThat(none.ifConfigured()).isEmpty();
    assertThatThrownBy(none::credential)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("iomt.azure.credential.type");
  }

  @Test
  void theCredentialIsBuiltOnceAndSharedByEveryCaller() {
    SharedAzureCredential shared =
        SharedAzureCredential.of(
            new FhirAuthSettings.Azure(
                Credential.CLIENT_SECRET, "tenant-1", "client-1", Secret.of("s3cr3t")));

    TokenCredential first = shared.credential();

    assertThat(first).isInstanceOf(ClientSecretCredential.class).isSameAs(shared.credential());
    assertThat(shared.ifConfigured()).containsSame(first);
    assertThat(shared.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void azureCliBuildsTheCliCredentialForLocalUse() {
    assertThat(
            SharedAzureCredential.of(
                    new FhirAuthSettings.Azure(Credential.AZURE_CLI, null, null, null))
                .credential())
        .isInstanceOf(AzureCliCredential.class);
  }

  @Test
  void theDeferredCredentialAsksTheSharedOneOnlyWhenATokenIsNeeded() {
    AtomicInteger tokens = new AtomicInteger();
    TokenCredential counting =
        new TokenCredential() {
          @Override
          public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.fromSupplier(() -> getTokenSync(request));
          }

          @Override
          public AccessToken getTokenSync(TokenRequestContext request) {
            tokens.incrementAndGet();
            return new AccessToken("t", OffsetDateTime.now().plusHours(1));
          }
        };
    SharedAzureCredential shared =
        SharedAzureCredential.of(
            new FhirAuthSettings.Azure(Credential.DEFAULT, null, null, null), counting);

    TokenCredential deferred = shared.deferred();
    assertThat(tokens).hasValue(0);

    assertThat(deferred.getTokenSync(new TokenRequestContext().addScopes("x/.default")).getToken())
        .isEqualTo("t");
    assertThat(deferred.getToken(new TokenRequestContext().addScopes("y")).block().getToken())
        .isEqualTo("t");
    assertThat(tokens).hasValue(2);
  }
}
