/**
 * FHIR server access: {@link io.iomt.fhir.FhirResources} over {@link io.iomt.fhir.http.FhirHttp},
 * identity resolution ({@code identity}), and batched Observation upserts ({@code write}).
 */
package io.iomt.fhir;
