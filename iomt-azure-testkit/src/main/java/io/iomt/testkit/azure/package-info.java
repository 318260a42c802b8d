/**
 * Stand-ins for Azure services that no emulator provides without Docker, for tests only: the real
 * Azure SDK clients run against them on loopback. Each fixture is documented with what it
 * implements of the real service's protocol and what it does not; none of them ships in the
 * service.
 */
package io.iomt.testkit.azure;
