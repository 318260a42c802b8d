/**
 * Who may use the management API ({@code /subscriptions/**}, {@code /providers/**} and the web
 * console's data, {@code /api/console/**}) and what they did with it; the console's static page
 * ({@code /console/**}, {@code /webjars/**}) is public and holds no data. Callers authenticate with
 * an API key from {@code iomt.management.api-keys} or an OAuth2/OIDC bearer token from the issuer
 * in {@code iomt.management.oauth2}; each is a reader (GET, HEAD) or a contributor (also PUT,
 * PATCH, POST, DELETE). Refusals are answered in Azure Resource Manager's error shape ({@code
 * AuthenticationFailed} 401, {@code AuthorizationFailed} 403). {@link
 * io.iomt.service.management.security.ManagementAudit} logs and counts every change attempt; {@link
 * io.iomt.service.management.security.ManagementCaller} tells the API who is calling (for ARM's
 * {@code systemData}). Every other path of the service keeps its own protection (ingest and
 * actuator: the ingest API keys).
 */
package io.iomt.service.management.security;
