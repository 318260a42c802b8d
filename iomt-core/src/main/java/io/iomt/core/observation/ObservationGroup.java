package io.iomt.core.observation;

import io.iomt.core.fhirmapping.CodeValueTemplate;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The measurements that become (or merge into) one Observation: one key, one period, and for each
 * value name the values by time (one value per instant: the latest ingested).
 *
 * @param start inclusive start of the Observation's effective period
 * @param end inclusive end of the effective period (equal to start for Single)
 * @param values value name to (time to value), times within [start, end]
 * @param measurementCount how many measurements were grouped here (before de-duplication)
 */
public record ObservationGroup(
    GroupKey key,
    CodeValueTemplate template,
    Instant start,
    Instant end,
    Map<String, NavigableMap<Instant, String>> values,
    int measurementCount) {

  /** All values of one name by time; empty when the group has none. */
  public NavigableMap<Instant, String> values(String valueName) {
    NavigableMap<Instant, String> v = values.get(valueName);
    return v == null ? java.util.Collections.emptyNavigableMap() : v;
  }
}
