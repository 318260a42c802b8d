/**
 * The real Azurite Blob service (npm {@code azurite}) for tests: {@link
 * io.iomt.testkit.azure.azurite.Azurite} installs it once per machine into a cache directory,
 * starts it on a free loopback port with in-memory storage, and kills it when closed or when the
 * JVM exits. The Azure SDK's {@code azure-storage-blob} and Blob checkpoint store run against it
 * with the well-known development account.
 */
package io.iomt.testkit.azure.azurite;
