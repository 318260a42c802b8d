/**
 * Reading mapping files (device and FHIR mappings alike): JSON with the line and column of every
 * value ({@link io.iomt.core.template.LocatedJson}), case-insensitive property access that reports
 * unknown, duplicate, missing and mistyped properties ({@link io.iomt.core.template.Props}), and
 * the problem list that lets a user fix a whole file in one pass ({@link
 * io.iomt.core.template.Problems}). Shared infrastructure of the mapping packages, not a user API.
 */
package io.iomt.core.template;
