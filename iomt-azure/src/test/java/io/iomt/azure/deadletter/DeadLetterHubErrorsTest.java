package io.iomt.azure.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.amqp.exception.AmqpErrorCondition;
import com.azure.core.amqp.exception.AmqpErrorContext;
import com.azure.core.amqp.exception.AmqpException;
import com.azure.core.exception.ClientAuthenticationException;
import io.iomt.pipeline.deadletter.DeadLetterSinkException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class DeadLetterHubErrorsTest {
  private static final String HUB = "contoso.servicebus.windows.net/dead-letters";
  private static final AmqpErrorContext CONTEXT = new AmqpErrorContext("contoso");

  @Test
  void refusedCredentialsAreUnauthorizedAndNameTheHub() {
    DeadLetterSinkException e =
        DeadLetterHubErrors.of(
            new RuntimeException(
                "send failed",
                new AmqpException(
                    false,
                    AmqpErrorCondition.UNAUTHORIZED_ACCESS,
                    "InvalidSignature: The token has an invalid signature.",
                    CONTEXT)),
            HUB);

    assertThat(e.errorName()).isEqualTo("DeadLetterSinkUnauthorizedException");
    assertThat(e.isBlocking()).isTrue();
    assertThat(e.stage().displayName()).isEqualTo("Setup");
    assertThat(e.getMessage())
        .contains(HUB, "amqp:unauthorized-access", "invalid signature")
        .contains("Azure Event Hubs Data Sender");
  }

  @Test
  void aMissingOrDisabledHubIsNotFound() {
    for (AmqpErrorCondition c :
        new AmqpErrorCondition[] {
          AmqpErrorCondition.NOT_FOUND, AmqpErrorCondition.ENTITY_DISABLED_ERROR
        }) {
      DeadLetterSinkException e =
          DeadLetterHubErrors.of(new AmqpException(false, c, "no such hub", CONTEXT), HUB);
      assertThat(e.errorName()).isEqualTo("DeadLetterSinkNotFoundException");
      assertThat(e.getMessage()).contains(HUB, "no such hub");
    }
  }

  @Test
  void noTokenFromTheCredentialIsUnauthorized() {
    DeadLetterSinkException e =
        DeadLetterHubErrors.of(
            new ClientAuthenticationException("ManagedIdentityCredential: no identity\nmore", null),
            HUB);

    assertThat(e.errorName()).isEqualTo("DeadLetterSinkUnauthorizedException");
    assertThat(e.getMessage()).contains("no identity").doesNotContain("more");
  }

  @Test
  void anythingElseIsUnavailable() {
    DeadLetterSinkException e =
        DeadLetterHubErrors.of(new IllegalStateException("timed out", new TimeoutException()), HUB);

    assertThat(e.errorName()).isEqualTo("DeadLetterSinkUnavailableException");
    assertThat(e.getMessage()).contains(HUB, "IllegalStateException timed out");
  }
}
