package io.iomt.service.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hand-written OpenAPI document the service serves at {@code /openapi/management.yaml}. */
class ManagementOpenApiTest {
  private static final String PROVIDER =
      "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/"
          + "Microsoft.HealthcareApis";
  private static final String WORKSPACE = PROVIDER + "/workspaces/{workspaceName}";
  private static final String CONNECTOR = WORKSPACE + "/iotconnectors/{iotConnectorName}";

  private static SwaggerParseResult result;
  private static OpenAPI api;

  @BeforeAll
  static void parse() throws IOException {
    String yaml;
    try (InputStream in =
        ManagementOpenApiTest.class.getResourceAsStream("/static/openapi/management.yaml")) {
      assertThat(in).as("the document is on the classpath under static/").isNotNull();
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    result = new OpenAPIV3Parser().readContents(yaml, null, options);
    api = result.getOpenAPI();
  }

  @Test
  void theDocumentParsesWithoutAnyMessage() {
    assertThat(result.getMessages()).isEmpty();
    assertThat(api.getOpenapi()).startsWith("3.0");
  }

  @Test
  void everyPathOfTheContractIsDocumentedWithItsVerbs() {
    Map<String, List<PathItem.HttpMethod>> expected =
        Map.of(
            "/subscriptions/{subscriptionId}/providers/Microsoft.HealthcareApis/workspaces",
            List.of(PathItem.HttpMethod.GET),
            PROVIDER + "/workspaces",
            List.of(PathItem.HttpMethod.GET),
            WORKSPACE,
            List.of(
                PathItem.HttpMethod.GET,
                PathItem.HttpMethod.PUT,
                PathItem.HttpMethod.PATCH,
                PathItem.HttpMethod.DELETE),
            WORKSPACE + "/fhirservices",
            List.of(PathItem.HttpMethod.GET),
            WORKSPACE + "/fhirservices/{fhirServiceName}",
            List.of(
                PathItem.HttpMethod.GET,
                PathItem.HttpMethod.PUT,
                PathItem.HttpMethod.PATCH,
                PathItem.HttpMethod.DELETE),
            WORKSPACE + "/iotconnectors",
            List.of(PathItem.HttpMethod.GET),
            CONNECTOR,
            List.of(
                PathItem.HttpMethod.GET,
                PathItem.HttpMethod.PUT,
                PathItem.HttpMethod.PATCH,
                PathItem.HttpMethod.DELETE),
            CONNECTOR + "/fhirdestinations",
            List.of(PathItem.HttpMethod.GET),
            CONNECTOR + "/fhirdestinations/{fhirDestinationName}",
            List.of(PathItem.HttpMethod.GET, PathItem.HttpMethod.PUT, PathItem.HttpMethod.DELETE),
            "/subscriptions/{subscriptionId}/providers/Microsoft.HealthcareApis/locations/"
                + "{locationName}/operationresults/{operationId}",
            List.of(PathItem.HttpMethod.GET));

    assertThat(api.getPaths()).containsOnlyKeys(expected.keySet());
    expected.forEach(
        (path, verbs) ->
            assertThat(api.getPaths().get(path).readOperationsMap().keySet())
                .as(path)
                .containsExactlyInAnyOrderElementsOf(verbs));
  }

  @Test
  void everyOperationRequiresTheApiVersionAndWritesAnswerWithTheAsyncOperationHeader() {
    api.getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (verb, op) -> {
                          assertThat(op.getParameters())
                              .as(verb + " " + path)
                              .anySatisfy(
                                  p -> {
                                    assertThat(p.getName()).isEqualTo("api-version");
                                    assertThat(p.getRequired()).isTrue();
                                  });
                          if (verb == PathItem.HttpMethod.PUT) {
                            assertThat(op.getResponses()).containsKeys("200", "201", "202");
                            assertThat(op.getResponses().get("201").getHeaders())
                                .containsKeys("Azure-AsyncOperation", "Location");
                            assertThat(op.getParameters())
                                .extracting(p -> p.getName())
                                .contains("If-Match", "If-None-Match");
                          }
                          if (verb == PathItem.HttpMethod.DELETE) {
                            assertThat(op.getResponses()).containsKeys("200", "202", "204");
                            assertThat(op.getResponses().get("202").getHeaders())
                                .containsKeys("Azure-AsyncOperation", "Location");
                          }
                        }));
  }

  @Test
  void theWriteOnlyFieldsOfTheValidatorAreWriteOnlyInTheDocument() {
    for (String pointer : WriteOnlyFields.of(ResourceType.IOT_CONNECTOR)) {
      assertThat(schemaAt("IotConnectorExtension", pointer.substring("/properties/iomt".length())))
          .as(pointer)
          .satisfies(s -> assertThat(s.getWriteOnly()).isTrue());
    }
    for (String pointer : WriteOnlyFields.of(ResourceType.FHIR_SERVICE)) {
      assertThat(schemaAt("FhirServiceExtension", pointer.substring("/properties/iomt".length())))
          .as(pointer)
          .satisfies(s -> assertThat(s.getWriteOnly()).isTrue());
    }
  }

  @Test
  void bothSecuritySchemesAndArmsErrorShapeAreDescribed() {
    assertThat(api.getComponents().getSecuritySchemes()).containsOnlyKeys("bearer", "apiKey");
    assertThat(api.getComponents().getSecuritySchemes().get("bearer").getBearerFormat())
        .isEqualTo("JWT");
    assertThat(api.getComponents().getSecuritySchemes().get("apiKey").getName())
        .isEqualTo("X-API-Key");
    Schema<?> detail = api.getComponents().getSchemas().get("ErrorDetail");
    Map<String, ?> error = detail.getProperties();
    assertThat(error.keySet()).containsExactlyInAnyOrder("code", "message", "target", "details");
  }

  /** The schema of a property below a component, by JSON pointer into the object it describes. */
  private static Schema<?> schemaAt(String component, String pointer) {
    Schema<?> s = api.getComponents().getSchemas().get(component);
    for (String name : pointer.substring(1).split("/")) {
      if (s.get$ref() != null) {
        s = api.getComponents().getSchemas().get(s.get$ref().replace("#/components/schemas/", ""));
      }
      Map<String, ?> properties = s.getProperties();
      assertThat(properties).as(component + pointer).isNotNull();
      assertThat(properties.keySet()).as(component + pointer).contains(name);
      s = (Schema<?>) properties.get(name);
    }
    return s;
  }
}
