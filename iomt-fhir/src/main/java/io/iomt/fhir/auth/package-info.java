/**
 * Authentication to FHIR servers: none, a static bearer token, OAuth2 client credentials, and Azure
 * identity. Secrets are {@link io.iomt.fhir.auth.Secret}s, masked wherever they are printed.
 */
package io.iomt.fhir.auth;
