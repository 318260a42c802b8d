package io.iomt.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.error.DataException;
import io.iomt.core.error.ErrorOrigin;
import org.junit.jupiter.api.Test;

/**
 * Every data error a device template raises keeps MedTech's wording and says where in the mapping
 * file it comes from: template, field and the line and column of the expression.
 */
class DeviceErrorOriginTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Positions are found in this text, independently of the parser. */
  private static final String MAPPING =
      """
      {"templateType": "CollectionContent", "template": [
        {"templateType": "JsonPathContent", "template": {
          "typeName": "steps", "typeMatchExpression": "$..[?(@steps)]",
          "deviceIdExpression": "$.deviceId", "timestampExpression": "$.time",
          "patientIdExpression": "$..patient",
          "values": [{"valueName": "steps", "valueExpression": "$.Body.steps"}]}},
        {"templateType": "CalculatedContent", "template": {
          "typeName": "vitals",
          "typeMatchExpression": "$..[?(@hr)]",
          "deviceIdExpression": "$.matchedToken.device",
          "timestampExpression": {"language": "JmesPath",
                                  "value": "fromUnixTimestamp(matchedToken.t)"},
          "correlationIdExpression": "$.matchedToken.session",
          "values": [
            {"valueName": "hr", "valueExpression": "$.matchedToken.hr", "required": true},
            {"valueName": "spo2", "valueExpression": "$.matchedToken.spo2", "required": true}]}}]}
      """;

  private static final DeviceMapping DEVICE_MAPPING = DeviceMapping.parse(MAPPING);

  /** The 1-based line and column where {@code text} first appears in the mapping. */
  private static int[] at(String text) {
    int i = MAPPING.indexOf(text);
    assertThat(i).as("%s is in the mapping", text).isNotNegative();
    int line = (int) MAPPING.substring(0, i).chars().filter(c -> c == '\n').count() + 1;
    int column = i - MAPPING.lastIndexOf('\n', i - 1);
    return new int[] {line, column};
  }

  private static void assertAt(ErrorOrigin origin, String text) {
    int[] at = at(text);
    assertThat(origin.line()).as("line").isEqualTo(at[0]);
    assertThat(origin.column()).as("column").isEqualTo(at[1]);
  }

  private static DataException failure(String body) throws Exception {
    ObjectNode envelope = JSON.createObjectNode();
    envelope.set("Body", JSON.readTree(body));
    envelope.putObject("Properties");
    envelope.putObject("SystemProperties");
    return catchThrowableOfType(
        DataException.class, () -> DEVICE_MAPPING.normalize(envelope, null));
  }

  private static final String COMPLETE =
      "\"device\": \"d1\", \"t\": 1625677200, \"session\": \"s1\", \"hr\": 72, \"spo2\": 97";

  @Test
  void aMissingDeviceIdIsMedTechsMessageWithItsExpressionsLineAndColumn() throws Exception {
    DataException e = failure("{" + COMPLETE.replace("\"device\"", "\"devices\"") + "}");
    assertThat(e.getMessage())
        .isEqualTo(
            "Unable to extract required value for [DeviceIdExpression] using"
                + " $.matchedToken.device");
    assertThat(e.origin())
        .isEqualTo(
            new ErrorOrigin(
                "device",
                1,
                "CalculatedContent",
                "vitals",
                "DeviceIdExpression",
                "$.matchedToken.device",
                at("\"$.matchedToken.device")[0],
                at("\"$.matchedToken.device")[1]));
  }

  @Test
  void anExpressionWrittenAsAnObjectIsLocatedAtItsValue() throws Exception {
    DataException e = failure("{" + COMPLETE.replace("1625677200", "\"soon\"") + "}");
    assertThat(e.getMessage())
        .startsWith("Unable to evaluate [TimestampExpression] using fromUnixTimestamp(");
    assertThat(e.origin().field()).isEqualTo("TimestampExpression");
    assertThat(e.origin().expression()).isEqualTo("fromUnixTimestamp(matchedToken.t)");
    assertAt(e.origin(), "\"fromUnixTimestamp(");
  }

  @Test
  void aMissingCorrelationIdNamesCorrelationIdExpression() throws Exception {
    DataException e = failure("{" + COMPLETE.replace("\"session\"", "\"sessions\"") + "}");
    assertThat(e.getMessage())
        .isEqualTo(
            "Unable to extract required value for [CorrelationIdExpression] using"
                + " $.matchedToken.session");
    assertThat(e.origin().field()).isEqualTo("CorrelationIdExpression");
    assertAt(e.origin(), "\"$.matchedToken.session");
  }

  @Test
  void aMissingRequiredValueIsNamedByItsValueNameAndLocatedAtItsValueExpression() throws Exception {
    DataException e = failure("{" + COMPLETE.replace("\"spo2\"", "\"o2\"") + "}");
    assertThat(e.getMessage())
        .isEqualTo("Unable to extract required value for [spo2] using $.matchedToken.spo2");
    assertThat(e.origin())
        .extracting(ErrorOrigin::templateIndex, ErrorOrigin::typeName, ErrorOrigin::field)
        .containsExactly(1, "vitals", "spo2");
    assertAt(e.origin(), "\"$.matchedToken.spo2");
  }

  @Test
  void aSingleValueExpressionMatchingSeveralTokensIsLocatedToo() throws Exception {
    DataException e =
        failure(
            "{\"steps\": 10, \"deviceId\": \"d1\", \"time\": \"2021-07-07T17:00:00Z\","
                + " \"patient\": \"p1\", \"guardian\": {\"patient\": \"p2\"}}");
    assertThat(e.getMessage())
        .isEqualTo(
            "Multiple tokens matched for [PatientIdExpression] using $..patient; the expression"
                + " must match at most one token");
    assertThat(e.origin())
        .extracting(ErrorOrigin::templateIndex, ErrorOrigin::templateType, ErrorOrigin::field)
        .containsExactly(0, "JsonPathContent", "PatientIdExpression");
    assertAt(e.origin(), "\"$..patient");
  }

  @Test
  void anUnparseableTimestampIsAnInvalidDataFormatWithItsOrigin() throws Exception {
    DataException e = failure("{\"steps\": 10, \"deviceId\": \"d1\", \"time\": \"yesterday\"}");
    assertThat(e.errorName()).isEqualTo("InvalidDataFormatException");
    assertThat(e.getMessage())
        .startsWith("Unable to parse the value 'yesterday' for [TimestampExpression] using $.time");
    assertThat(e.origin())
        .isEqualTo(
            new ErrorOrigin(
                "device",
                0,
                "JsonPathContent",
                "steps",
                "TimestampExpression",
                "$.time",
                at("\"$.time")[0],
                at("\"$.time")[1]));
  }
}
