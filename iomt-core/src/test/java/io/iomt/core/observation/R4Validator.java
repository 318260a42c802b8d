package io.iomt.core.observation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** HAPI's instance validator with the base R4 structure definitions; built once per JVM. */
final class R4Validator {
  static final FhirContext R4 = FhirContext.forR4Cached();
  private static final FhirValidator VALIDATOR = create();

  private R4Validator() {}

  private static FhirValidator create() {
    ValidationSupportChain chain =
        new ValidationSupportChain(
            R4.getValidationSupport(),
            new InMemoryTerminologyServerValidationSupport(R4),
            new CommonCodeSystemsTerminologyService(R4),
            new SnapshotGeneratingValidationSupport(R4));
    FhirValidator validator = R4.newValidator();
    validator.registerValidatorModule(new FhirInstanceValidator(chain));
    return validator;
  }

  /** Error and fatal messages, as "location: message"; empty when valid. */
  static synchronized List<String> errors(IBaseResource resource) {
    return VALIDATOR.validateWithResult(resource).getMessages().stream()
        .filter(
            m ->
                m.getSeverity() == ResultSeverityEnum.ERROR
                    || m.getSeverity() == ResultSeverityEnum.FATAL)
        .map(m -> m.getLocationString() + ": " + m.getMessage())
        .toList();
  }
}
