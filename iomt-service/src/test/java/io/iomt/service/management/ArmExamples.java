package io.iomt.service.management;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The ARM contract's example request bodies in {@code src/test/resources/arm-examples}. */
final class ArmExamples {
  static final ResourceId WORKSPACE = ResourceId.workspace("subid", "testRG", "workspace1");
  static final ResourceId IOT_CONNECTOR = WORKSPACE.child(ResourceType.IOT_CONNECTOR, "blue");
  static final ResourceId FHIR_DESTINATION =
      IOT_CONNECTOR.child(ResourceType.FHIR_DESTINATION, "dest1");
  static final ResourceId FHIR_SERVICE = WORKSPACE.child(ResourceType.FHIR_SERVICE, "fhirservice1");

  private ArmExamples() {}

  static byte[] bytes(String name) {
    try (InputStream in = ArmExamples.class.getResourceAsStream("/arm-examples/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no example " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }
}
