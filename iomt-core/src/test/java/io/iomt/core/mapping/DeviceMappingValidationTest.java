package io.iomt.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.core.error.InvalidTemplateException;
import io.iomt.core.error.TemplateProblem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Template validation reports every problem of a mapping at once, each with line and column. */
class DeviceMappingValidationTest {

  private static List<String> problems(String mapping) {
    return DeviceMapping.validate(mapping.getBytes(StandardCharsets.UTF_8)).stream()
        .map(TemplateProblem::toString)
        .toList();
  }

  @Test
  void everyProblemOfTheMappingIsReportedAtOnceInDocumentOrder() {
    String mapping =
        """
        {
          "templateType": "CollectionContent",
          "template": [
            {
              "templateType": "JsonPathContent",
              "template": {
                "typeName": "heartrate",
                "typeMatchExpression": "$..[?(@heartRate)",
                "deviceIdExpression": "$.deviceId",
                "timestampExpresion": "$.time"
              }
            },
            {
              "templateType": "NoSuchContent",
              "template": {}
            },
            {
              "templateType": "IotJsonPathContent",
              "template": {
                "typeName": "spo2",
                "typeMatchExpression": { "value": "Body.spo2", "language": "JmesPath" }
              }
            }
          ]
        }
        """;
    assertThat(problems(mapping))
        .containsExactly(
            "6:19: Missing required property 'timestampExpression' in a JsonPathContent template",
            "8:32: typeMatchExpression is not a valid JSONPath: Expected ']' but the expression"
                + " ended at position 17 of '$..[?(@heartRate)'",
            "10:9: Unknown property 'timestampExpresion' in a JsonPathContent template (did you"
                + " mean 'timestampExpression'?)",
            "14:23: Unknown templateType 'NoSuchContent'; expected one of CollectionContent,"
                + " JsonPathContent, IotJsonPathContent, IotCentralJsonPathContent,"
                + " CalculatedContent",
            "21:32: typeMatchExpression: JMESPath expressions are only supported in"
                + " CalculatedContent templates; use JSONPath in IotJsonPathContent or change the"
                + " templateType to CalculatedContent");
  }

  @Test
  void parsingAnInvalidMappingThrowsABlockingErrorWithAllProblems() {
    assertThatThrownBy(() -> DeviceMapping.parse("{\"templateType\":\"CollectionContent\"}"))
        .isInstanceOfSatisfying(
            InvalidTemplateException.class,
            e -> {
              assertThat(e.isBlocking()).isTrue();
              assertThat(e.errorName()).isEqualTo("InvalidTemplateException");
              assertThat(e.problems())
                  .extracting(TemplateProblem::toString)
                  .containsExactly("1:1: Missing required property 'template' in the root object");
            });
  }

  @Test
  void propertyAndTypeNamesMatchCaseInsensitivelyAndRequiredMayBeAString() {
    DeviceMapping mapping =
        DeviceMapping.parse(
            """
            {"TemplateType": "collectioncontent", "Template": [
              {"templatetype": "JSONPATHCONTENTTEMPLATE", "TEMPLATE": {
                "TypeName": "hr", "TypeMatchExpression": "$..[?(@hr)]",
                "DeviceIdExpression": "$.id", "TimestampExpression": "$.t",
                "Values": [{"ValueName": "hr", "ValueExpression": "$.hr", "Required": "true"}]}}]}
            """);
    assertThat(mapping.typeNames()).containsExactly("hr");
  }

  @Test
  void aFixedIdentityPropertyOnAnIotTemplateIsAWarningNotAnError() {
    List<TemplateProblem> problems =
        DeviceMapping.validate(
            """
            {"templateType": "CollectionContent", "template": [
              {"templateType": "IotJsonPathContent", "template": {
                "typeName": "hr", "typeMatchExpression": "$..[?(@Body.hr)]",
                "deviceIdExpression": "$.Body.id"}}]}
            """
                .getBytes(StandardCharsets.UTF_8));
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.isError()).isFalse();
              assertThat(p.toString())
                  .isEqualTo(
                      "4:5: warning: 'deviceIdExpression' is ignored: IotJsonPathContent always"
                          + " reads the device id from $.SystemProperties.iothub-connection-device-id");
            });
  }

  @Test
  void aFileThatIsNotJsonIsOneProblemAtTheOffendingPosition() {
    assertThat(problems("{\n  \"templateType\": \"CollectionContent\",\n  \"template\": [\n}"))
        .singleElement()
        .asString()
        .startsWith("4:1: The mapping is not valid JSON");
  }

  @Test
  void aRepeatedPropertyIsReported() {
    assertThat(
            problems(
                """
                {"templateType": "CollectionContent", "template": [],
                 "template": []}
                """))
        .containsExactly("2:2: Property 'template' appears twice in the root object");
  }

  @Test
  void aMappingWithAThousandTemplatesLoadsAndAppliesEveryTemplate() {
    StringBuilder b = new StringBuilder("{\"templateType\":\"CollectionContent\",\"template\":[");
    for (int i = 0; i < 1000; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"templateType\":\"CalculatedContent\",\"template\":{\"typeName\":\"t")
          .append(i)
          .append("\",\"typeMatchExpression\":\"$..[?(@v")
          .append(i % 10)
          .append(")]\",\"deviceIdExpression\":\"$.Body.id\",\"timestampExpression\":\"$.Body.t\",")
          .append("\"values\":[{\"valueName\":\"v\",\"valueExpression\":\"$.matchedToken.v")
          .append(i % 10)
          .append("\",\"required\":true}]}}");
    }
    DeviceMapping mapping = DeviceMapping.parse(b.append("]}").toString());
    assertThat(mapping.templateCount()).isEqualTo(1000);
    var envelope =
        io.iomt.core.fixtures.Envelopes.of(
            "{\"id\":\"d1\",\"t\":\"2021-07-07T17:00:00Z\",\"v3\":42}");
    assertThat(mapping.normalize(envelope, null))
        .hasSize(100)
        .allSatisfy(m -> assertThat(m.properties().get(0).value()).isEqualTo("42"));
  }
}
