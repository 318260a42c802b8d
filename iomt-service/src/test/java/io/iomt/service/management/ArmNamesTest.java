package io.iomt.service.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArmNamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"abc", "workspace1", "a-b", "0123456789abcdefghijklm"})
  void namesOfArmsRuleAreAccepted(String name) {
    assertThatCode(() -> ArmNames.checkName(name)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "-abc", "abc-", "Abc", "a_b", "0123456789abcdefghijklmn", ""})
  void namesBreakingArmsRuleAreRefusedWithArmsCodeAndWording(String name) {
    ArmException e = catchThrowableOfType(ArmException.class, () -> ArmNames.checkName(name));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.error().code()).isEqualTo("InvalidResourceName");
    assertThat(e.error().message())
        .isEqualTo(
            "The resource name '"
                + name
                + "' is invalid. It must be 3-23 characters of lowercase letters, digits and"
                + " hyphens, beginning and ending with a letter or digit.");
  }

  @Test
  void everyNameOfAnIdIsChecked() {
    ResourceId id =
        ResourceId.workspace("s", "rg", "ws1").child(ResourceType.IOT_CONNECTOR, "Bad_Name");

    ArmException e = catchThrowableOfType(ArmException.class, () -> ArmNames.checkNames(id));

    assertThat(e.error().target()).isEqualTo("Bad_Name");
  }

  @Test
  void onlyTheStableApiVersionIsServed() {
    assertThatCode(() -> ArmNames.checkApiVersion("2024-03-31")).doesNotThrowAnyException();

    ArmException wrong =
        catchThrowableOfType(ArmException.class, () -> ArmNames.checkApiVersion("2023-11-01"));
    assertThat(wrong.error().code()).isEqualTo("InvalidApiVersionParameter");
    assertThat(wrong.error().message())
        .isEqualTo(
            "The api-version '2023-11-01' is invalid. The supported versions are '2024-03-31'.");

    ArmException missing =
        catchThrowableOfType(ArmException.class, () -> ArmNames.checkApiVersion(null));
    assertThat(missing.error().code()).isEqualTo("MissingApiVersionParameter");
  }
}
