package io.iomt.service.management;

import java.util.List;

/** A refused management request: the HTTP status and the {@link ArmError} that explains it. */
public final class ArmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient ArmError error;

  public ArmException(int status, ArmError error) {
    super(error.code() + ": " + error.message());
    this.status = status;
    this.error = error;
  }

  public ArmException(int status, String code, String message) {
    this(status, ArmError.of(code, message));
  }

  public ArmException(int status, String code, String message, List<ArmError> details) {
    this(status, new ArmError(code, message, null, details));
  }

  public int status() {
    return status;
  }

  public ArmError error() {
    return error;
  }
}
