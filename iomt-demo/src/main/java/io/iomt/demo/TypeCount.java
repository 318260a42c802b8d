package io.iomt.demo;

/**
 * Observations of one measurement type and the measurements they hold.
 *
 * @param observations Observation resources
 * @param measurements measurement values in them: 1 for an Observation with a single value or with
 *     components, the number of data points other than {@code E} for SampledData
 */
record TypeCount(int observations, int measurements) {
  static final TypeCount ZERO = new TypeCount(0, 0);

  TypeCount plus(int observations, int measurements) {
    return new TypeCount(this.observations + observations, this.measurements + measurements);
  }
}
