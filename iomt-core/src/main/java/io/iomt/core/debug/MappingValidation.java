package io.iomt.core.debug;

import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.fhirmapping.MappingCrossCheck;
import io.iomt.core.mapping.DeviceMapping;
import java.util.List;

/**
 * A device mapping and a FHIR mapping checked each on its own and, when both load, against each
 * other ({@link MappingCrossCheck}: a device type without a FHIR template is an error, unused
 * values and templates are warnings). What {@code iomt validate} prints and the console marks.
 * Immutable.
 *
 * @param device the device mapping's check; null when none was given
 * @param fhir the FHIR mapping's check; null when none was given
 * @param crossCheck the cross-check's findings; empty unless both were given and both loaded
 */
public record MappingValidation(
    MappingCheck<DeviceMapping> device,
    MappingCheck<FhirMapping> fhir,
    List<MappingCrossCheck.Finding> crossCheck) {
  public MappingValidation {
    crossCheck = List.copyOf(crossCheck);
  }

  /**
   * Checks the mappings given.
   *
   * @param device the device mapping's JSON (UTF-8); null when it is not to be checked
   * @param fhir the FHIR mapping's JSON (UTF-8); null when it is not to be checked
   */
  public static MappingValidation of(byte[] device, byte[] fhir) {
    MappingCheck<DeviceMapping> d =
        device == null
            ? null
            : MappingCheck.load(device, DeviceMapping::parse, DeviceMapping::warnings);
    MappingCheck<FhirMapping> f =
        fhir == null ? null : MappingCheck.load(fhir, FhirMapping::parse, FhirMapping::warnings);
    boolean both = d != null && f != null && d.valid() && f.valid();
    return new MappingValidation(
        d, f, both ? MappingCrossCheck.check(d.mapping(), f.mapping()) : List.of());
  }

  /** Whether both mappings were given and both loaded, so that data can run through them. */
  public boolean bothLoaded() {
    return device != null && fhir != null && device.valid() && fhir.valid();
  }

  /** Whether the cross-check found that the mappings do not fit (an error, not a warning). */
  public boolean mappingsDisagree() {
    return crossCheck.stream().anyMatch(f -> f.problem().isError());
  }

  /**
   * Whether everything given is usable: each mapping loaded and, with both, the cross-check found
   * no error ({@code iomt validate}'s exit 0).
   */
  public boolean valid() {
    return (device == null || device.valid())
        && (fhir == null || fhir.valid())
        && !mappingsDisagree();
  }
}
