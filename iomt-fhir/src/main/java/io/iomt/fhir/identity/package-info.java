/** Resolving Device, Patient and Encounter for measurements, with bounded caches. */
package io.iomt.fhir.identity;
