/**
 * The management plane: resources shaped like Azure Resource Manager's Microsoft.HealthcareApis
 * contracts (api-version 2024-03-31): workspaces, iotconnectors, their fhirdestinations, and
 * fhirservices (which here register an existing FHIR server). Desired state lives in a {@link
 * io.iomt.service.management.ResourceStore} every replica shares (a compacted topic on the
 * service's broker); every replica reconciles its running connectors with it. Request bodies are
 * checked by the pure {@link io.iomt.service.management.ResourceValidator} (every problem at once,
 * mapping problems at their line and column in the request), which also splits the write-only
 * secrets out ({@link io.iomt.service.management.WriteOnlyFields}).
 */
package io.iomt.service.management;
