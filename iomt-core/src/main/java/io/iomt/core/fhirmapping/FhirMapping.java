package io.iomt.core.fhirmapping;

import io.iomt.core.error.InvalidTemplateException;
import io.iomt.core.error.TemplateProblem;
import io.iomt.core.template.LocatedJson;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded FHIR destination mapping ({@code CollectionFhir} of {@code CodeValueFhir} templates).
 * Lookup by type name is case-insensitive. Immutable and thread-safe.
 */
public final class FhirMapping {
  private final Map<String, CodeValueTemplate> byType;
  private final List<TemplateProblem> warnings;
  private final Map<String, LocatedJson.Position> positions;

  FhirMapping(
      List<CodeValueTemplate> templates,
      Map<String, LocatedJson.Position> positions,
      List<TemplateProblem> warnings) {
    this.positions = positions;
    Map<String, CodeValueTemplate> map = new LinkedHashMap<>();
    templates.forEach(t -> map.put(key(t.typeName()), t));
    this.byType = map;
    this.warnings = warnings;
  }

  /**
   * Loads and validates a mapping.
   *
   * @throws InvalidTemplateException listing every problem with its line and column
   */
  public static FhirMapping parse(byte[] json) {
    FhirMappingParser.Result result = new FhirMappingParser().parse(json);
    if (result.problems().stream().anyMatch(TemplateProblem::isError)) {
      throw new InvalidTemplateException(result.problems());
    }
    return new FhirMapping(result.templates(), result.positions(), result.problems());
  }

  public static FhirMapping parse(String json) {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Every problem of a mapping, errors first, each with line and column; empty when clean. */
  public static List<TemplateProblem> validate(byte[] json) {
    return new FhirMappingParser().parse(json).problems();
  }

  /**
   * The type names that the CodeValueFhir templates of a mapping declare, lower-case, including
   * those of templates with errors; empty when the mapping is not readable JSON. Lets a device
   * mapping be cross-checked ({@link MappingCrossCheck#untemplatedTypes}) while the FHIR mapping
   * still has other errors, so one start-up lists both.
   */
  public static Optional<java.util.Set<String>> declaredTypeNames(byte[] json) {
    return Optional.ofNullable(new FhirMappingParser().parse(json).declaredTypes());
  }

  /** The template for a measurement type, matched case-insensitively. */
  public Optional<CodeValueTemplate> template(String typeName) {
    return Optional.ofNullable(byType.get(key(typeName)));
  }

  public List<CodeValueTemplate> templates() {
    return List.copyOf(byType.values());
  }

  /** Where a template declares its typeName in the mapping file. */
  public LocatedJson.Position typeNameAt(String typeName) {
    return positions.getOrDefault(key(typeName), LocatedJson.Position.UNKNOWN);
  }

  public List<TemplateProblem> warnings() {
    return warnings;
  }

  static String key(String typeName) {
    return typeName.toLowerCase(Locale.ROOT);
  }
}
