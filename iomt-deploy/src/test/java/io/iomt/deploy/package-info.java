/**
 * Tests of the deployment artifacts in the repository's {@code deploy/} directory: the Helm chart
 * ({@code deploy/helm}) and the Azure templates ({@code deploy/azure}).
 */
package io.iomt.deploy;
