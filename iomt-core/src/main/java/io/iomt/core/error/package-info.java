/**
 * The connector's error hierarchy: a small set of unchecked exceptions, each with MedTech's stable
 * error name, a stage, and a blocking flag. {@link io.iomt.core.error.DataException Data errors}
 * skip one message (non-blocking); {@link io.iomt.core.error.InvalidTemplateException template
 * errors} stop the connector until the mapping is fixed and list every problem with its position.
 */
package io.iomt.core.error;
