package io.iomt.service.ingest;

/**
 * One message of an ingest request, as the device sent it.
 *
 * @param index its position in the request's array (0 for a single message)
 * @param value exactly the bytes of the message in the request body (not re-serialized); the array
 *     is owned by the message and not copied
 * @param key the UTF-8 of the message's top-level string {@code deviceId} (IoT Central's export
 *     field), or null when it has none
 */
record DeviceMessage(int index, byte[] value, byte[] key) {
  int keyLength() {
    return key == null ? 0 : key.length;
  }
}
