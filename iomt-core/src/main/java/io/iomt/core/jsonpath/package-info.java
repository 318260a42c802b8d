/**
 * JSONPath in the Newtonsoft.Json dialect that MedTech and iomt-fhir mappings were written for.
 *
 * <p><b>Why hand-written.</b> Jayway json-path (the well-kept Java library) disagrees with
 * Newtonsoft.Json exactly where existing mappings depend on it: a recursive descent with a filter,
 * {@code $..[?(@heartrate)]}, must also test the starting token (Jayway tests only descendants, so
 * the typical MedTech type match on the envelope finds nothing); {@code @prop} without a dot must
 * mean {@code @.prop}; a non-scan filter over an object must match nothing; existence tests must
 * count {@code null}-valued properties; {@code !=} against a missing property must be false.
 * Rewriting expressions before handing them to Jayway covered some of these but not the scan-filter
 * semantics, so this package parses the dialect itself into a small immutable step list ({@link
 * io.iomt.core.jsonpath.Segment}) over Jackson trees. Compilation happens once when a mapping
 * loads; evaluation allocates nothing per token beyond the callbacks. Each dialect rule has its own
 * test in {@code JsonPathDialectTest}.
 */
package io.iomt.core.jsonpath;
