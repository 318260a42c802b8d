/**
 * The mapping debugger without a user interface: validates a device mapping and a FHIR mapping
 * (every problem at its line and column, then how the two fit), runs messages through them as the
 * normalize and group stages do, and builds the Observations that would be written, offline. {@code
 * iomt validate}, {@code iomt mapping test} and the web console's debugger API all use it, so they
 * report the same problems and the same data errors. Pure: no I/O, time from an injected clock.
 */
package io.iomt.core.debug;
