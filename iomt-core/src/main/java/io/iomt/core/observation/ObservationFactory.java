package io.iomt.core.observation;

import io.iomt.core.error.DataException;
import io.iomt.core.error.InvalidQuantityFhirValueException;
import io.iomt.core.fhirmapping.CodeValueTemplate;
import io.iomt.core.fhirmapping.FhirCategory;
import io.iomt.core.fhirmapping.FhirCode;
import io.iomt.core.fhirmapping.FhirComponent;
import io.iomt.core.fhirmapping.FhirValue;
import io.iomt.core.fhirmapping.PeriodInterval;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TimeZone;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SampledData;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * Builds Observations from {@link ObservationGroup}s and merges groups into existing Observations,
 * as MedTech does: deterministic identifier and id, SampledData slot merge, components matched by
 * their value-name coding, period widening, {@code amended} after a changed merge, and no write
 * when nothing changed. Thread-safe; time comes from the injected clock.
 */
public final class ObservationFactory {
  /** Base of the connector's own systems; see docs/fhir-identity.md. */
  public static final String DEFAULT_SYSTEM_BASE = "https://iomt-connector.org/fhir";

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");
  private static final ca.uhn.fhir.context.FhirContext R4 =
      ca.uhn.fhir.context.FhirContext.forR4Cached();

  private final String codeSystem;
  private final String identifierSystem;
  private final Clock clock;

  /** The Patient, Device and Encounter an Observation refers to, by resource id. */
  public record Subject(String patientId, String deviceId, String encounterId) {}

  public ObservationFactory(String systemBase, Clock clock) {
    this.codeSystem = systemBase + "/measurement-type";
    this.identifierSystem = systemBase + "/observation";
    this.clock = clock;
  }

  public ObservationFactory(Clock clock) {
    this(DEFAULT_SYSTEM_BASE, clock);
  }

  public String identifierSystem() {
    return identifierSystem;
  }

  public String codeSystem() {
    return codeSystem;
  }

  /**
   * {@code {patientId}.{deviceId}.{typeName}.{start}.{end}} with times as {@code
   * yyyyMMddHHmmssSSSZ}; for CorrelationId templates {@code
   * {patientId}.{deviceId}.{typeName}.{correlationId}} (the period widens as data arrives, the
   * identity must not change).
   */
  public String identifierValue(ObservationGroup group, Subject subject) {
    String prefix =
        nullToDash(subject.patientId())
            + "."
            + nullToDash(subject.deviceId())
            + "."
            + group.key().type();
    if (group.template().periodInterval() == PeriodInterval.CORRELATION_ID) {
      return prefix + "." + group.key().correlationId();
    }
    return prefix + "." + ID_TIME.format(group.start()) + "." + ID_TIME.format(group.end());
  }

  public String resourceId(ObservationGroup group, Subject subject) {
    return ResourceIds.of("Observation", identifierSystem, identifierValue(group, subject));
  }

  /** A new Observation for a group. */
  public Observation create(ObservationGroup group, Subject subject) {
    CodeValueTemplate t = group.template();
    Observation o = new Observation();
    o.setId(resourceId(group, subject));
    o.addIdentifier(
        new Identifier().setSystem(identifierSystem).setValue(identifierValue(group, subject)));
    o.setStatus(ObservationStatus.FINAL);
    for (FhirCategory c : t.category()) {
      o.addCategory(concept(c.codes(), null).setText(c.text()));
    }
    // The type as the measurements spell it, as MedTech writes it (the template matched them
    // case-insensitively); the identifier uses the same spelling.
    String type = group.key().type();
    o.setCode(concept(t.codes(), type).setText(type));
    if (subject.patientId() != null) {
      o.setSubject(new Reference("Patient/" + subject.patientId()));
    }
    if (subject.deviceId() != null) {
      o.setDevice(new Reference("Device/" + subject.deviceId()));
    }
    if (subject.encounterId() != null) {
      o.setEncounter(new Reference("Encounter/" + subject.encounterId()));
    }
    o.setEffective(period(group.start(), group.end()));
    o.setIssuedElement(issuedNow());
    applyValues(o, group, null, group.start(), group.end());
    return o;
  }

  /**
   * Merges a group into an existing Observation with the same identity. Returns the updated
   * Observation ({@code amended}, new {@code issued}), or empty when the merge changes nothing.
   */
  public Optional<Observation> merge(Observation existing, ObservationGroup group) {
    Observation merged = existing.copy();
    Instant start = group.start();
    Instant end = group.end();
    if (existing.hasEffectivePeriod()) {
      Period p = existing.getEffectivePeriod();
      if (p.hasStart() && p.getStart().toInstant().isBefore(start)) {
        start = p.getStart().toInstant();
      }
      if (p.hasEnd() && p.getEnd().toInstant().isAfter(end)) {
        end = p.getEnd().toInstant();
      }
    }
    Instant previousStart = existingStart(existing);
    merged.setEffective(period(start, end));
    applyValues(merged, group, previousStart, start, end);
    if (sameContent(merged, existing)) {
      return Optional.empty();
    }
    merged.setStatus(ObservationStatus.AMENDED);
    merged.setIssuedElement(issuedNow());
    return Optional.of(merged);
  }

  /**
   * Compares what the server would store, ignoring {@code meta}: the canonical JSON of both. {@code
   * equalsDeep} is not enough, since a resource parsed from the server and one built here can hold
   * the same value in different representations (date precision flags, decimal scale).
   */
  private static boolean sameContent(Observation a, Observation b) {
    Observation x = a.copy();
    Observation y = b.copy();
    x.setMeta(null);
    y.setMeta(null);
    var json = R4.newJsonParser();
    return json.encodeResourceToString(x).equals(json.encodeResourceToString(y));
  }

  private void applyValues(
      Observation o, ObservationGroup group, Instant previousStart, Instant start, Instant end) {
    CodeValueTemplate t = group.template();
    if (t.value() != null) {
      Type value =
          value(t.value(), group, o.hasValue() ? o.getValue() : null, previousStart, start, end);
      if (value != null) {
        o.setValue(value);
      }
    }
    for (FhirComponent c : t.components()) {
      String name = c.value().valueName();
      ObservationComponentComponent component =
          o.getComponent().stream()
              .filter(x -> hasValueCoding(x.getCode(), name))
              .findFirst()
              .orElse(null);
      Type previous = component != null && component.hasValue() ? component.getValue() : null;
      Type value = value(c.value(), group, previous, previousStart, start, end);
      if (value == null) {
        continue;
      }
      if (component == null) {
        component = o.addComponent().setCode(concept(c.codes(), name).setText(name));
      }
      component.setValue(value);
    }
  }

  private static Instant existingStart(Observation o) {
    return o.hasEffectivePeriod() && o.getEffectivePeriod().hasStart()
        ? o.getEffectivePeriod().getStart().toInstant()
        : null;
  }

  private boolean hasValueCoding(CodeableConcept code, String valueName) {
    return code.getCoding().stream()
        .anyMatch(c -> codeSystem.equals(c.getSystem()) && valueName.equals(c.getCode()));
  }

  /** The value for one value template, or null when the group has none (keep what exists). */
  private Type value(
      FhirValue template,
      ObservationGroup group,
      Type previous,
      Instant previousStart,
      Instant start,
      Instant end) {
    try {
      return convert(template, group, previous, previousStart, start, end);
    } catch (DataException e) {
      throw e.withOrigin(group.template().valueOrigin(template.valueName()));
    }
  }

  private Type convert(
      FhirValue template,
      ObservationGroup group,
      Type previous,
      Instant previousStart,
      Instant start,
      Instant end) {
    NavigableMap<Instant, String> values = group.values(template.valueName());
    if (values.isEmpty()) {
      return previous instanceof SampledData
              && previousStart != null
              && !previousStart.equals(start)
          ? sampledData(
              (FhirValue.SampledData) template, values, previous, previousStart, start, end)
          : null;
    }
    if (template instanceof FhirValue.SampledData s) {
      return sampledData(s, values, previous, previousStart, start, end);
    } else if (template instanceof FhirValue.Quantity q) {
      return quantity(q, group, values);
    } else if (template instanceof FhirValue.CodeableConcept c) {
      return concept(c.codes(), null).setText(c.text());
    }
    return new StringType(values.lastEntry().getValue());
  }

  private static SampledData sampledData(
      FhirValue.SampledData s,
      NavigableMap<Instant, String> values,
      Type previous,
      Instant previousStart,
      Instant start,
      Instant end) {
    NavigableMap<Instant, String> all = new TreeMap<>();
    if (previous instanceof SampledData old && previousStart != null && old.hasData()) {
      double oldPeriod = old.hasPeriod() ? old.getPeriod().doubleValue() : s.defaultPeriod();
      all.putAll(SampledDataCodec.decode(old.getData(), previousStart, oldPeriod));
    }
    all.putAll(values);
    Quantity origin = new Quantity().setValue(BigDecimal.ZERO);
    if (s.unit() != null) {
      origin.setUnit(s.unit());
    }
    return new SampledData()
        .setOrigin(origin)
        .setPeriod(
            new BigDecimal(
                BigDecimal.valueOf(s.defaultPeriod()).stripTrailingZeros().toPlainString()))
        .setDimensions(1)
        .setData(SampledDataCodec.encode(all, start, end, s.defaultPeriod()));
  }

  private static Quantity quantity(
      FhirValue.Quantity q, ObservationGroup group, NavigableMap<Instant, String> values) {
    if (values.size() != 1) {
      throw new InvalidQuantityFhirValueException(
          "Quantity value '"
              + q.valueName()
              + "' of type '"
              + group.key().type()
              + "' needs exactly one value per Observation, got "
              + values.size()
              + " (device '"
              + group.key().deviceId()
              + "'); use SampledData or periodInterval Single for series");
    }
    String text = values.firstEntry().getValue();
    BigDecimal decimal;
    try {
      decimal = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new InvalidQuantityFhirValueException(
          "Quantity value '" + q.valueName() + "' is not a decimal: '" + text + "'");
    }
    Quantity quantity = new Quantity().setValue(decimal);
    if (q.unit() != null) {
      quantity.setUnit(q.unit());
    }
    if (q.system() != null) {
      quantity.setSystem(q.system());
    }
    if (q.code() != null) {
      quantity.setCode(q.code());
    }
    return quantity;
  }

  private CodeableConcept concept(List<FhirCode> codes, String ownCode) {
    CodeableConcept concept = new CodeableConcept();
    for (FhirCode c : codes) {
      Coding coding = concept.addCoding().setCode(c.code());
      if (c.system() != null) {
        coding.setSystem(c.system());
      }
      if (c.display() != null) {
        coding.setDisplay(c.display());
      }
    }
    if (ownCode != null) {
      concept.addCoding().setSystem(codeSystem).setCode(ownCode).setDisplay(ownCode);
    }
    return concept;
  }

  private static Period period(Instant start, Instant end) {
    return new Period().setStartElement(dateTime(start)).setEndElement(dateTime(end));
  }

  private static DateTimeType dateTime(Instant instant) {
    DateTimeType t =
        new DateTimeType(
            Date.from(instant), ca.uhn.fhir.model.api.TemporalPrecisionEnum.MILLI, UTC);
    t.setTimeZoneZulu(true);
    return t;
  }

  private InstantType issuedNow() {
    InstantType t = new InstantType(Date.from(clock.instant()));
    t.setTimeZoneZulu(true);
    return t;
  }

  private static String nullToDash(String s) {
    return s == null ? "-" : s;
  }
}
