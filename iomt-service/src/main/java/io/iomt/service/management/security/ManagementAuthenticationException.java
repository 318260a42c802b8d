package io.iomt.service.management.security;

import org.springframework.security.core.AuthenticationException;

/**
 * Why the management API refused a caller's credentials, in words safe to send back (it never holds
 * the key or token presented).
 */
final class ManagementAuthenticationException extends AuthenticationException {
  private static final long serialVersionUID = 1L;

  ManagementAuthenticationException(String message) {
    super(message);
  }
}
