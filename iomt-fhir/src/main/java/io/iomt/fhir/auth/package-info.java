/**
 * Authentication to FHIR servers: none, a static bearer token, OAuth2 client credentials, and Azure
 * identity. {@link io.iomt.fhir.auth.FhirAuth} is the one factory the service and the CLI share: it
 * checks {@link io.iomt.fhir.auth.FhirAuthOptions} into {@link io.iomt.fhir.auth.FhirAuthSettings},
 * listing every problem with its setting's path, and builds the {@link
 * io.iomt.fhir.auth.TokenProvider}. Azure identity comes from the iomt-azure module through the
 * {@link io.iomt.fhir.auth.AzureAuthProvider} service-provider interface, so this package knows no
 * Azure SDK. Secrets are {@link io.iomt.fhir.auth.Secret}s, masked wherever they are printed.
 */
package io.iomt.fhir.auth;
