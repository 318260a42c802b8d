package io.iomt.service.management;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.core.error.InvalidTemplateException;
import io.iomt.core.error.TemplateProblem;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.fhirmapping.MappingCrossCheck;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.service.management.JsonPositions.Position;
import io.iomt.service.management.JsonPositions.Token;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * Validates mapping content embedded in a request body with exactly the validation of {@code iomt
 * validate} and of the service's start-up ({@code DeviceMapping}/{@code FhirMapping} of iomt-core,
 * and {@code MappingCrossCheck} against the companion mapping), and reports each problem where the
 * user wrote it: the content's own bytes are validated (so duplicates, {@code "required": "true"}
 * strings and every spelling stay as sent), and each problem's line and column in them is turned
 * into a JSON pointer, then into the line and column of that token in the request body and its ARM
 * property path. Stateless.
 */
final class MappingProblems {
  /** Which mapping a content is. */
  enum Kind {
    DEVICE,
    FHIR
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private MappingProblems() {}

  /**
   * Checks the mapping content at {@code contentPointer} of {@code body}; its errors go to {@code
   * problems} (code {@code InvalidMapping}), its warnings to the problems' warnings.
   *
   * @param contentPointer the content's JSON pointer in the body as written (any case)
   * @param contentPath the content's canonical ARM path, e.g. {@code
   *     properties.deviceMapping.content}
   * @param companion the other side of the cross-check, if there is one
   */
  static void check(
      Kind kind,
      byte[] body,
      JsonPositions bodyPositions,
      String contentPointer,
      String contentPath,
      Optional<MappingCompanion> companion,
      RequestProblems problems) {
    byte[] content = bodyPositions.slice(body, contentPointer);
    JsonPositions contentPositions = walk(content);
    Located here =
        new Located(contentPositions, bodyPositions, contentPointer, contentPath, problems);
    List<TemplateProblem> found =
        kind == Kind.DEVICE ? DeviceMapping.validate(content) : FhirMapping.validate(content);
    found.forEach(here::report);
    boolean valid = found.stream().noneMatch(TemplateProblem::isError);
    if (companion.isPresent()) {
      crossCheck(kind, content, valid, here, companion.get(), problems);
    }
  }

  private static void crossCheck(
      Kind kind,
      byte[] content,
      boolean valid,
      Located here,
      MappingCompanion companion,
      RequestProblems problems) {
    byte[] other;
    try {
      other = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(companion.content());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<MappingCrossCheck.Finding> findings;
    try {
      if (kind == Kind.DEVICE) {
        if (!valid) {
          return;
        }
        findings = MappingCrossCheck.check(DeviceMapping.parse(content), FhirMapping.parse(other));
      } else {
        DeviceMapping device = DeviceMapping.parse(other);
        findings =
            valid
                ? MappingCrossCheck.check(device, FhirMapping.parse(content))
                // A FHIR mapping with errors of its own still declares its types: a device type
                // without a template is reported now too, as the service's start-up does.
                : FhirMapping.declaredTypeNames(content)
                    .map(types -> MappingCrossCheck.untemplatedTypes(device, types))
                    .orElse(List.of());
      }
    } catch (InvalidTemplateException e) {
      problems.warning(
          RequestProblems.MAPPING_WARNING,
          companion.contentPath(),
          "The mapping of "
              + companion.id()
              + " no longer validates ("
              + e.problems().get(0)
              + "); the device/FHIR cross-check was skipped.");
      return;
    }
    Located there = new Located(walk(other), companion, problems);
    for (MappingCrossCheck.Finding f : findings) {
      boolean inBody = f.inDeviceMapping() == (kind == Kind.DEVICE);
      (inBody ? here : there).report(f.problem());
    }
  }

  private static JsonPositions walk(byte[] json) {
    try {
      return JsonPositions.of(json);
    } catch (IOException e) {
      // The body was parsed before, and the companion was written by Jackson.
      throw new UncheckedIOException(e);
    }
  }

  /** Reports problems of one mapping content: the request body's, or a companion's. */
  private static final class Located {
    private final JsonPositions content;
    private final JsonPositions body;
    private final String contentPointer;
    private final String contentPath;
    private final MappingCompanion companion;
    private final RequestProblems problems;

    Located(
        JsonPositions content,
        JsonPositions body,
        String contentPointer,
        String contentPath,
        RequestProblems problems) {
      this.content = content;
      this.body = body;
      this.contentPointer = contentPointer;
      this.contentPath = contentPath;
      this.companion = null;
      this.problems = problems;
    }

    Located(JsonPositions content, MappingCompanion companion, RequestProblems problems) {
      this.content = content;
      this.body = null;
      this.contentPointer = null;
      this.contentPath = companion.contentPath();
      this.companion = companion;
      this.problems = problems;
    }

    void report(TemplateProblem p) {
      Token token = content.tokenAt(new Position(p.line(), p.column()));
      String target =
          token == null || token.path().isEmpty() ? contentPath : contentPath + join(token.path());
      String message;
      if (companion != null) {
        message =
            "In the "
                + (companion.id().type() == ResourceType.IOT_CONNECTOR
                    ? "device mapping of the iotconnector "
                    : "FHIR mapping of the fhirdestination ")
                + companion.id()
                + ", at "
                + target
                + ": "
                + p.message();
      } else {
        Position at =
            token == null
                ? body.valueAt(contentPointer)
                : body.positionOf(
                    contentPointer + token.pointer(), token.isName(), token.occurrence());
        message = (at == null ? "" : at + ": ") + p.message();
      }
      if (p.isError()) {
        problems.error(RequestProblems.INVALID_MAPPING, target, message);
      } else {
        problems.warning(RequestProblems.MAPPING_WARNING, target, message);
      }
    }

    private static String join(String path) {
      return path.startsWith("[") ? path : "." + path;
    }
  }
}
