package io.iomt.core.fhirmapping;

import io.iomt.core.error.TemplateProblem;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.template.LocatedJson.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that a device mapping and a FHIR mapping fit together, before any data flows. Each problem
 * names the file it points into.
 */
public final class MappingCrossCheck {
  private MappingCrossCheck() {}

  /** A problem found by the cross-check, in the device ({@code inDeviceMapping}) or FHIR file. */
  public record Finding(boolean inDeviceMapping, TemplateProblem problem) {}

  public static List<Finding> check(DeviceMapping device, FhirMapping fhir) {
    List<Finding> out = new ArrayList<>();
    Map<String, Set<String>> produced = device.valueNamesByType();
    Set<String> fed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, Set<String>> e : produced.entrySet()) {
      String type = e.getKey();
      fed.add(type);
      Position at = device.typeNameAt(type);
      var template = fhir.template(type);
      if (template.isEmpty()) {
        out.add(noTemplate(type, at));
        continue;
      }
      List<String> used = template.get().valueNames();
      for (String name : e.getValue()) {
        if (used.stream().noneMatch(name::equals)) {
          out.add(
              new Finding(
                  true,
                  TemplateProblem.warning(
                      at.line(),
                      at.column(),
                      "Value '"
                          + name
                          + "' of type '"
                          + type
                          + "' is never used by the FHIR template; it will not reach FHIR")));
        }
      }
      Position fhirAt = fhir.typeNameAt(type);
      for (String name : used) {
        if (!e.getValue().contains(name)) {
          out.add(
              new Finding(
                  false,
                  TemplateProblem.warning(
                      fhirAt.line(),
                      fhirAt.column(),
                      "The FHIR template of '"
                          + type
                          + "' reads value '"
                          + name
                          + "', which no device template of that type produces")));
        }
      }
    }
    for (CodeValueTemplate t : fhir.templates()) {
      if (!fed.contains(t.typeName())) {
        Position at = fhir.typeNameAt(t.typeName());
        out.add(
            new Finding(
                false,
                TemplateProblem.warning(
                    at.line(),
                    at.column(),
                    "FHIR template '"
                        + t.typeName()
                        + "' is fed by no device template; it will never produce an Observation")));
      }
    }
    return out;
  }

  /**
   * The one cross-check that needs only the FHIR mapping's type names: each device type without a
   * CodeValueFhir template, an error in the device mapping. For a FHIR mapping that has errors of
   * its own ({@link FhirMapping#declaredTypeNames}), so both are reported at once.
   *
   * @param fhirTypeNames the type names the FHIR mapping declares, matched case-insensitively
   */
  public static List<Finding> untemplatedTypes(DeviceMapping device, Set<String> fhirTypeNames) {
    Set<String> declared = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    declared.addAll(fhirTypeNames);
    List<Finding> out = new ArrayList<>();
    for (String type : device.valueNamesByType().keySet()) {
      if (!declared.contains(type)) {
        out.add(noTemplate(type, device.typeNameAt(type)));
      }
    }
    return out;
  }

  private static Finding noTemplate(String type, Position at) {
    return new Finding(
        true,
        TemplateProblem.error(
            at.line(),
            at.column(),
            "Device type '"
                + type
                + "' has no CodeValueFhir template in the FHIR mapping; its measurements"
                + " would fail with TemplateNotFoundException"));
  }
}
