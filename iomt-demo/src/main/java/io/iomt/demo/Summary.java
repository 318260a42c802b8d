package io.iomt.demo;

import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The demo's closing lines: what FHIR holds per measurement type, the run's dead letters, then the
 * one-line total.
 */
final class Summary {
  private Summary() {}

  static void print(Demo.Result result, PrintStream out) {
    FhirCensus.Tally tally = result.tally();
    out.println("demo: read back from FHIR:");
    out.printf("  %-16s %12s %13s%n", "type", "observations", "measurements");
    tally
        .byType()
        .forEach(
            (type, count) ->
                out.printf(
                    "  %-16s %12d %13d%n", type, count.observations(), count.measurements()));
    if (result.heldBefore() > 0) {
      out.println(
          "demo: FHIR held "
              + result.heldBefore()
              + " of these Observations before the replay (an earlier run on this data"
              + " directory): a replay merges into the same Observations, whose ids are"
              + " deterministic, so the numbers do not grow");
    }
    int others = result.serverTotal() - tally.observations();
    if (others > 0) {
      out.println(
          "demo: the server also holds " + others + " Observations of other devices, not counted");
    }
    if (!result.deadLetters().isEmpty()) {
      out.println(deadLetters(result.deadLetters()));
    }
    out.println(result.finalLine());
    out.flush();
  }

  /**
   * {@code demo: dead letters: 1 (IncompatibleDataException: Unable to ...); fix and replay it in
   * the console}: the count, and each distinct error once.
   */
  static String deadLetters(List<DeadLetterTopic.Letter> letters) {
    Set<String> errors = new LinkedHashSet<>();
    for (DeadLetterTopic.Letter letter : letters) {
      errors.add(letter.error() + ": " + letter.message());
    }
    return "demo: dead letters: "
        + letters.size()
        + " ("
        + String.join("; ", errors)
        + "); fix and replay "
        + (letters.size() == 1 ? "it" : "them")
        + " in the console";
  }
}
