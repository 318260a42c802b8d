package io.iomt.core.jmespath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MedTech's custom JMESPath functions: results, typing, and errors that name function and argument.
 */
class MedTechFunctionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode eval(String expression, String document) throws Exception {
    return JmesPathExpression.compile(expression).search(JSON.readTree(document));
  }

  private static JsonNode eval(String expression) throws Exception {
    return eval(expression, "{}");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "add(`1`, `2`)|3",
        "add(`1`, `2.5`)|3.5",
        "subtract(`10`, `4`)|6",
        "subtract(`1.5`, `1`)|0.5",
        "multiply(`6`, `7`)|42",
        "multiply(`1.5`, `2`)|3.0",
        "divide(`40`, `50`)|0",
        "divide(`-7`, `2`)|-3",
        "divide(`40.0`, `50`)|0.8",
        "pow(`2`, `10`)|1024",
        "pow(`2.0`, `3`)|8.0",
        "pow(`0`, `0`)|1",
        "insertString('abcd', '-', `2`)|\"ab-cd\"",
        "insertString('abcd', '-', `0`)|\"-abcd\"",
        "insertString('abcd', '-', `4`)|\"abcd-\"",
        "fromUnixTimestamp(`1625677200`)|\"2021-07-07T17:00:00Z\"",
        "fromUnixTimestampMs(`1625677200123`)|\"2021-07-07T17:00:00.123Z\"",
      })
  void customFunctionsComputeAsMedTechDoes(String expression, String expected) throws Exception {
    assertThat(eval(expression).toString()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "add(`9223372036854775807`, `1`)|-9223372036854775808",
        "add(`-9223372036854775808`, `-1`)|9223372036854775807",
        "add(`9223372036854775807`, `9223372036854775807`)|-2",
        "subtract(`-9223372036854775808`, `1`)|9223372036854775807",
        "subtract(`9223372036854775807`, `-1`)|-9223372036854775808",
        "multiply(`9223372036854775807`, `2`)|-2",
        "multiply(`4294967296`, `4294967296`)|0",
        "multiply(`-9223372036854775808`, `-1`)|-9223372036854775808",
      })
  void integerAddSubtractAndMultiplyWrapAroundOnOverflowLikeDotNetUncheckedLong(
      String expression, String expected) throws Exception {
    JsonNode result = eval(expression);
    assertThat(result.isIntegralNumber()).isTrue();
    assertThat(result.toString()).isEqualTo(expected);
  }

  @Test
  void wrapAroundAppliesToValuesReadFromTheEventToo() throws Exception {
    assertThat(eval("add(Body.v, `1`)", "{\"Body\":{\"v\":9223372036854775807}}").longValue())
        .isEqualTo(Long.MIN_VALUE);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "pow(`2`, `-1`)|0",
        "pow(`2`, `-2`)|0",
        "pow(`1`, `-3`)|1",
        "pow(`-1`, `-3`)|-1",
        "pow(`3`, `39`)|4052555153018976256",
        "pow(`-2`, `63`)|-9223372036854775808",
        "pow(`2`, `62`)|4611686018427387904",
      })
  void integerPowIsComputedInDoublePrecisionAndRoundedHalfToEven(String expression, String expected)
      throws Exception {
    JsonNode result = eval(expression);
    assertThat(result.isIntegralNumber()).isTrue();
    assertThat(result.toString()).isEqualTo(expected);
  }

  @Test
  void floatArithmeticDoesNotWrap() throws Exception {
    assertThat(eval("add(`9223372036854775807`, `1.0`)").doubleValue()).isEqualTo(0x1p63);
  }

  @Test
  void integerArgumentsGiveIntegerResultsAndFloatArgumentsGiveFloats() throws Exception {
    assertThat(eval("add(`1`, `2`)").isIntegralNumber()).isTrue();
    assertThat(eval("add(`1`, `2.0`)").isFloatingPointNumber()).isTrue();
  }

  @Test
  void functionsReadArgumentsFromTheEvent() throws Exception {
    assertThat(eval("divide(Body.v, `10`)", "{\"Body\":{\"v\":975}}").asInt()).isEqualTo(97);
  }

  @ParameterizedTest(name = "{0} fails with: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "divide(`1`, `0`)|divide: division by zero",
        "divide(`1.0`, `0`)|divide: division by zero",
        "pow(`10`, `30`)|pow: integer overflow",
        "pow(`2`, `63`)|pow: integer overflow",
        "pow(`-2`, `64`)|pow: integer overflow",
        "pow(`0`, `-1`)|pow: zero to the negative power -1",
        "add(Body.s, `2`)|add: argument 1 must be a number, got string \"1\"",
        "add(`1`, missing)|add: argument 2 must be a number, got null",
        "insertString('abc', '-', `4`)|insertString: argument 3 (position) is 4, outside 0..3",
        "insertString('abc', '-', Body.f)|insertString: argument 3 (position) must be an integer",
        "insertString(Body.n, '-', `0`)|insertString: argument 1 (original) must be a string",
        "fromUnixTimestamp(Body.f)|fromUnixTimestamp: argument 1 (seconds) must be an integer",
        "fromUnixTimestampMs(Body.s)|fromUnixTimestampMs: argument 1 (milliseconds) must be an integer",
      })
  void badArgumentsFromTheEventFailWithAnErrorNamingTheFunctionAndArgument(
      String expression, String message) {
    assertThatThrownBy(() -> eval(expression, "{\"Body\":{\"s\":\"1\",\"f\":1.5,\"n\":1}}"))
        .isInstanceOf(JmesPathFunctionException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aWrongArgumentCountIsRejectedWhenTheExpressionCompiles() {
    assertThatThrownBy(() -> JmesPathExpression.compile("add(`1`)"))
        .isInstanceOf(JmesPathSyntaxException.class)
        .hasMessageContaining("add");
    assertThatThrownBy(() -> JmesPathExpression.compile("insertString('a', 'b')"))
        .isInstanceOf(JmesPathSyntaxException.class)
        .hasMessageContaining("insertString");
  }

  @ParameterizedTest(name = "{0} is rejected at compile time: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "add('1', `2`)|add: argument 1 must be a number, got string \"1\"",
        "insertString('abc', '-', `1.5`)|insertString: argument 3 (position) must be an integer",
        "fromUnixTimestamp(`1.5`)|fromUnixTimestamp: argument 1 (seconds) must be an integer",
        "fromUnixTimestampMs('x')|fromUnixTimestampMs: argument 1 (milliseconds) must be an integer",
      })
  void literalArgumentsOfTheWrongTypeAreRejectedWhenTheExpressionCompiles(
      String expression, String message) {
    assertThatThrownBy(() -> JmesPathExpression.compile(expression))
        .isInstanceOf(JmesPathSyntaxException.class)
        .hasMessageContaining(message);
  }

  @Test
  void anUnknownFunctionIsRejectedWhenTheExpressionCompiles() {
    assertThatThrownBy(() -> JmesPathExpression.compile("nosuch(`1`)"))
        .isInstanceOf(JmesPathSyntaxException.class)
        .hasMessageContaining("nosuch");
  }

  @Test
  void aSyntaxErrorIsRejectedWhenTheExpressionCompiles() {
    assertThatThrownBy(() -> JmesPathExpression.compile("Body.["))
        .isInstanceOf(JmesPathSyntaxException.class);
  }
}
