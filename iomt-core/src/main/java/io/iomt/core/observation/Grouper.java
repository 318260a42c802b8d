package io.iomt.core.observation;

import io.iomt.core.error.CorrelationIdNotDefinedException;
import io.iomt.core.error.DataException;
import io.iomt.core.error.TemplateNotFoundException;
import io.iomt.core.fhirmapping.CodeValueTemplate;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.fhirmapping.PeriodInterval;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.measurement.MeasurementProperty;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Groups measurements into {@link ObservationGroup}s: by {@link GroupKey}, then split by the FHIR
 * template's period interval (UTC hours and days). A repeated timestamp within one group keeps the
 * value of the latest ingested measurement (input order breaks ties). Pure and stateless.
 */
public final class Grouper {
  /** Hourly and daily periods end 1 ms before the next one starts (FHIR instants carry ms). */
  private static final Duration LAST_MILLI = Duration.ofMillis(1);

  private Grouper() {}

  /** Measurements that could not be grouped, with the reason. */
  public record Failure(Measurement measurement, DataException error) {}

  public record Result(List<ObservationGroup> groups, List<Failure> failures) {}

  public static Result group(Iterable<Measurement> measurements, FhirMapping mapping) {
    List<Measurement> items = new ArrayList<>();
    measurements.forEach(items::add);
    Tracked<Measurement> tracked = group(items, m -> m, mapping);
    List<ObservationGroup> groups = new ArrayList<>(tracked.groups().size());
    tracked.groups().forEach(g -> groups.add(g.group()));
    List<Failure> failures = new ArrayList<>(tracked.failures().size());
    tracked.failures().forEach(f -> failures.add(new Failure(f.source(), f.error())));
    return new Result(groups, failures);
  }

  /** A group with the items its measurements came from, in input order. */
  public record Grouped<S>(ObservationGroup group, List<S> sources) {
    public Grouped {
      sources = List.copyOf(sources);
    }
  }

  /** An item whose measurement could not be grouped, with the reason. */
  public record Failed<S>(S source, DataException error) {}

  /** Groups with their sources, and the items that could not be grouped. */
  public record Tracked<S>(List<Grouped<S>> groups, List<Failed<S>> failures) {}

  /**
   * Groups the measurements of {@code items} and keeps, for every group, the items it was built
   * from, so a rejected group maps back to its source records (a partition's offsets, a dead
   * letter's original bytes) without re-deriving group membership.
   */
  public static <S> Tracked<S> group(
      List<S> items, Function<? super S, Measurement> measurementOf, FhirMapping mapping) {
    Map<Bucket, Builder<S>> buckets = new LinkedHashMap<>();
    List<Failed<S>> failures = new ArrayList<>();
    long sequence = 0;
    for (S item : items) {
      Measurement m = measurementOf.apply(item);
      sequence++;
      CodeValueTemplate template = mapping.template(m.type()).orElse(null);
      if (template == null) {
        failures.add(
            new Failed<>(
                item,
                new TemplateNotFoundException(
                    "No CodeValueFhir template for type '"
                        + m.type()
                        + "' (device '"
                        + m.deviceId()
                        + "'); add one to the FHIR mapping")));
        continue;
      }
      if (template.periodInterval() == PeriodInterval.CORRELATION_ID
          && (m.correlationId() == null || m.correlationId().isBlank())) {
        failures.add(
            new Failed<>(
                item,
                new CorrelationIdNotDefinedException(
                        "Type '"
                            + m.type()
                            + "' groups by CorrelationId, but the measurement of device '"
                            + m.deviceId()
                            + "' has no correlation id; map correlationIdExpression in the device"
                            + " mapping")
                    .withOrigin(template.templateOrigin())));
        continue;
      }
      Instant start = periodStart(template.periodInterval(), m.occurrenceTimeUtc());
      Bucket bucket = new Bucket(GroupKey.of(m), start);
      buckets
          .computeIfAbsent(bucket, b -> new Builder<S>(b.key(), template))
          .add(item, m, sequence);
    }
    List<Grouped<S>> groups = new ArrayList<>(buckets.size());
    buckets.values().forEach(b -> groups.add(new Grouped<>(b.build(), b.sources)));
    return new Tracked<>(groups, failures);
  }

  /** The start of the period a time falls in; null for CorrelationId (one period per id). */
  static Instant periodStart(PeriodInterval interval, Instant t) {
    return switch (interval) {
      case SINGLE -> t;
      case HOURLY -> t.truncatedTo(ChronoUnit.HOURS);
      case DAILY -> t.truncatedTo(ChronoUnit.DAYS);
      case CORRELATION_ID -> null;
    };
  }

  /** The inclusive end of the period starting at {@code start}. */
  static Instant periodEnd(PeriodInterval interval, Instant start) {
    return switch (interval) {
      case SINGLE, CORRELATION_ID -> start;
      case HOURLY -> start.plus(Duration.ofHours(1)).minus(LAST_MILLI);
      case DAILY -> start.plus(Duration.ofDays(1)).minus(LAST_MILLI);
    };
  }

  private record Bucket(GroupKey key, Instant start) {}

  private record Stamped(String value, Instant ingested, long sequence) {
    boolean supersedes(Stamped other) {
      int byIngestion =
          ingested == null || other.ingested == null ? 0 : ingested.compareTo(other.ingested);
      return byIngestion > 0 || (byIngestion == 0 && sequence > other.sequence);
    }
  }

  private static final class Builder<S> {
    private final List<S> sources = new ArrayList<>();
    private final GroupKey key;
    private final CodeValueTemplate template;
    private final Map<String, TreeMap<Instant, Stamped>> values = new HashMap<>();
    private Instant min;
    private Instant max;
    private int count;

    Builder(GroupKey key, CodeValueTemplate template) {
      this.key = key;
      this.template = template;
    }

    void add(S source, Measurement m, long sequence) {
      sources.add(source);
      count++;
      Instant t = m.occurrenceTimeUtc();
      min = min == null || t.isBefore(min) ? t : min;
      max = max == null || t.isAfter(max) ? t : max;
      for (MeasurementProperty p : m.properties()) {
        Stamped candidate = new Stamped(p.value(), m.ingestionTimeUtc(), sequence);
        values
            .computeIfAbsent(p.name(), n -> new TreeMap<>())
            .merge(t, candidate, (old, now) -> now.supersedes(old) ? now : old);
      }
    }

    ObservationGroup build() {
      PeriodInterval interval = template.periodInterval();
      Instant start = interval == PeriodInterval.CORRELATION_ID ? min : periodStart(interval, min);
      Instant end = interval == PeriodInterval.CORRELATION_ID ? max : periodEnd(interval, start);
      Map<String, NavigableMap<Instant, String>> out = new LinkedHashMap<>();
      values.forEach(
          (name, byTime) -> {
            TreeMap<Instant, String> plain = new TreeMap<>();
            byTime.forEach((t, s) -> plain.put(t, s.value()));
            out.put(name, plain);
          });
      return new ObservationGroup(key, template, start, end, out, count);
    }
  }
}
