/**
 * {@link io.iomt.testkit.azure.keyvault.FakeKeyVault}: an HTTPS stand-in for Azure Key Vault's
 * secrets API on loopback, for tests of code that reads secrets with the real SDK ({@code
 * SecretClient}). No Key Vault emulator is served on the build machines (lowkey-vault is not on the
 * mirror), so the fake implements exactly what the SDK's read path needs: the bearer challenge (401
 * with {@code WWW-Authenticate}), {@code GET /secrets/{name}[/{version}]} with the JSON the SDK
 * parses, Key Vault's error JSON for unknown secrets (404 {@code SecretNotFound}) and refused
 * access (403 {@code Forbidden}). Not implemented: writing, listing, deleting secrets through the
 * API, keys and certificates, real token validation. Test scope only.
 */
package io.iomt.testkit.azure.keyvault;
