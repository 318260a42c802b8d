package io.iomt.core.jsonpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Newtonsoft.Json JSONPath dialect, rule by rule (REFERENCE.md §2). */
class JsonPathDialectTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static List<String> select(String path, String document) {
    return JsonPath.compile(path).selectAll(json(document)).stream()
        .map(JsonNode::toString)
        .toList();
  }

  @Test
  void anAtPropertyWithoutADotMeansTheCurrentTokensProperty() {
    assertThat(
            select(
                "$..[?(@Body.systolic && @Body.diastolic)]",
                "{'Body':{'systolic':1,'diastolic':2}}"))
        .containsExactly("{\"Body\":{\"systolic\":1,\"diastolic\":2}}");
  }

  @Test
  void aBracketQuotedNameAfterAtWorksWithSpaces() {
    assertThat(
            select("$.a[?(@['My Property'] == 1)]", "{'a':[{'My Property':1},{'My Property':2}]}"))
        .containsExactly("{\"My Property\":1}");
  }

  @Test
  void aRecursiveDescentFilterAlsoTestsTheStartingToken() {
    assertThat(select("$..[?(@heartrate)]", "{'heartrate':60,'x':{'heartrate':70}}"))
        .containsExactly("{\"heartrate\":60,\"x\":{\"heartrate\":70}}", "{\"heartrate\":70}");
  }

  @Test
  void aRecursiveDescentFilterVisitsTokensDepthFirstInDocumentOrder() {
    assertThat(select("$..[?(@.v)]", "{'a':{'v':1,'b':{'v':2}},'c':[{'v':3}]}"))
        .containsExactly("{\"v\":1,\"b\":{\"v\":2}}", "{\"v\":2}", "{\"v\":3}");
  }

  @Test
  void aFilterOverAnArrayTestsEachElement() {
    assertThat(
            select(
                "$.r[?(@.t == 'hr')].v",
                "{'r':[{'t':'hr','v':1},{'t':'bp','v':2},{'t':'hr','v':3}]}"))
        .containsExactly("1", "3");
  }

  @Test
  void aNonScanFilterOverAnObjectMatchesNothingAsInNewtonsoft() {
    assertThat(select("$.Body[?(@.heartrate)]", "{'Body':{'heartrate':60}}")).isEmpty();
  }

  @Test
  void theExistenceTestCountsPropertiesWhoseValueIsNullOrFalse() {
    assertThat(select("$.a[?(@.x)]", "{'a':[{'x':null},{'x':false},{'y':1}]}"))
        .containsExactly("{\"x\":null}", "{\"x\":false}");
  }

  @Test
  void andBindsTighterThanOrAndParenthesesGroup() {
    String doc = "{'a':[{'x':1,'y':1},{'x':1},{'z':1}]}";
    assertThat(select("$.a[?(@.z || @.x && @.y)]", doc))
        .containsExactly("{\"x\":1,\"y\":1}", "{\"z\":1}");
    assertThat(select("$.a[?((@.z || @.x) && @.y)]", doc)).containsExactly("{\"x\":1,\"y\":1}");
  }

  @Test
  void comparisonsUseSingleOrDoubleQuotedStringsNumbersAndLiterals() {
    String doc = "{'a':[{'s':'x','n':5,'b':true,'z':null}]}";
    assertThat(select("$.a[?(@.s == 'x')]", doc)).hasSize(1);
    assertThat(select("$.a[?(@.s == \"x\")]".replace('"', '"'), doc)).hasSize(1);
    assertThat(select("$.a[?(@.n > 4 && @.n < 6 && @.n >= 5 && @.n <= 5)]", doc)).hasSize(1);
    assertThat(select("$.a[?(@.b == true)]", doc)).hasSize(1);
    assertThat(select("$.a[?(@.z == null)]", doc)).hasSize(1);
    assertThat(select("$.a[?(@.n != 5)]", doc)).isEmpty();
  }

  @Test
  void integersAndFloatsCompareByValueButNumbersNeverEqualStrings() {
    String doc = "{'a':[{'n':1},{'n':'1'}]}";
    assertThat(select("$.a[?(@.n == 1.0)]", doc)).containsExactly("{\"n\":1}");
    assertThat(select("$.a[?(@.n == '1')]", doc)).containsExactly("{\"n\":\"1\"}");
    assertThat(select("$.a[?(@.n === 1.0)]", doc)).isEmpty();
  }

  @Test
  void notEqualsAgainstAMissingPropertyIsFalseAsInNewtonsoft() {
    assertThat(select("$.a[?(@.x != 'v')]", "{'a':[{'y':1},{'x':'w'}]}"))
        .containsExactly("{\"x\":\"w\"}");
  }

  @Test
  void aRegexMatchUsesSlashDelimitedPatternsWithFlags() {
    assertThat(select("$.a[?(@.s =~ /^HEART/i)].s", "{'a':[{'s':'heartRate'},{'s':'spo2'}]}"))
        .containsExactly("\"heartRate\"");
  }

  @Test
  void theDollarSignIsOptionalAtTheStart() {
    assertThat(select("Body.x", "{'Body':{'x':1}}")).containsExactly("1");
  }

  @Test
  void namesMayContainDashesAndBracketQuotedNamesMayContainAnything() {
    String doc = "{'Properties':{'iothub-creation-time-utc':'t','a.b':2,'c d':3}}";
    assertThat(select("$.Properties.iothub-creation-time-utc", doc)).containsExactly("\"t\"");
    assertThat(select("$.Properties['a.b']", doc)).containsExactly("2");
    assertThat(select("$['Properties'][\"c d\"]", doc)).containsExactly("3");
    assertThat(select("$.Properties['a.b','c d']", doc)).containsExactly("2", "3");
  }

  @Test
  void recursiveDescentByNameYieldsEveryValueInDocumentOrder() {
    assertThat(select("$..a", "{'c':{'a':1},'a':{'a':2}}")).containsExactly("1", "{\"a\":2}", "2");
  }

  @Test
  void indexesSlicesAndWildcardsSelectArrayElements() {
    String doc = "{'a':[10,20,30,40]}";
    assertThat(select("$.a[0]", doc)).containsExactly("10");
    assertThat(select("$.a[-1]", doc)).containsExactly("40");
    assertThat(select("$.a[0,2]", doc)).containsExactly("10", "30");
    assertThat(select("$.a[1:3]", doc)).containsExactly("20", "30");
    assertThat(select("$.a[:2]", doc)).containsExactly("10", "20");
    assertThat(select("$.a[::2]", doc)).containsExactly("10", "30");
    assertThat(select("$.a[*]", doc)).containsExactly("10", "20", "30", "40");
    assertThat(select("$.*", "{'x':1,'y':2}")).containsExactly("1", "2");
    assertThat(select("$..*", "{'x':{'y':2}}"))
        .containsExactly("{\"x\":{\"y\":2}}", "{\"y\":2}", "2");
  }

  @Test
  void aFilterMayReferToTheRootWithDollar() {
    assertThat(select("$.a[?(@.t == $.want)].t", "{'want':'b','a':[{'t':'a'},{'t':'b'}]}"))
        .containsExactly("\"b\"");
  }

  @Test
  void aSingleValueSelectionRejectsSeveralTokens() {
    JsonPath path = JsonPath.compile("$..v");
    assertThat(path.selectSingle(json("{'v':1}")).asInt()).isEqualTo(1);
    assertThat(path.selectSingle(json("{'w':1}"))).isNull();
    assertThatThrownBy(() -> path.selectSingle(json("{'v':1,'x':{'v':2}}")))
        .isInstanceOf(JsonPath.MultipleTokensException.class)
        .hasMessageContaining("$..v");
  }

  @Test
  void syntaxErrorsNameThePositionAndTheReason() {
    assertThatThrownBy(() -> JsonPath.compile("$..[?(@heartrate)"))
        .isInstanceOf(JsonPathSyntaxException.class)
        .hasMessageContaining("Expected ']'")
        .hasMessageContaining("position 17");
    assertThatThrownBy(() -> JsonPath.compile("$.a[?(@.x == )]"))
        .isInstanceOf(JsonPathSyntaxException.class)
        .hasMessageContaining("Expected '@', '$', a quoted string");
    assertThatThrownBy(() -> JsonPath.compile("$.a.")).hasMessageContaining("Path ends after '.'");
    assertThatThrownBy(() -> JsonPath.compile("")).hasMessageContaining("Empty expression");
    assertThatThrownBy(() -> JsonPath.compile("$.a['x")).hasMessageContaining("Unclosed string");
  }

  @Test
  void deeplyNestedParenthesesAreRejectedInsteadOfOverflowingTheStack() {
    String deep = "$.a[?(" + "(".repeat(10_000) + "@.x" + ")".repeat(10_000) + ")]";
    assertThatThrownBy(() -> JsonPath.compile(deep)).isInstanceOf(JsonPathSyntaxException.class);
    String nested = "$.a[?(" + "(".repeat(50) + "@.x" + ")".repeat(50) + ")]";
    assertThat(JsonPath.compile(nested).selectAll(json("{'a':[{'x':1}]}"))).hasSize(1);
  }
}
