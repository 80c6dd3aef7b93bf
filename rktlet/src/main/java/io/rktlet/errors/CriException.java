package io.rktlet.errors;

import io.grpc.Status;

/**
 * A failure that the gRPC boundary turns into a status with this code. The message says what
 * failed, on which value, and what to do next where that is known.
 */
public final class CriException extends RuntimeException {
  private final Status.Code code;

  private CriException(Status.Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Status.Code code() {
    return code;
  }

  public static CriException notFound(String message) {
    return new CriException(Status.Code.NOT_FOUND, message, null);
  }

  public static CriException invalidArgument(String message) {
    return new CriException(Status.Code.INVALID_ARGUMENT, message, null);
  }

  public static CriException alreadyExists(String message) {
    return new CriException(Status.Code.ALREADY_EXISTS, message, null);
  }

  public static CriException failedPrecondition(String message) {
    return new CriException(Status.Code.FAILED_PRECONDITION, message, null);
  }

  public static CriException permissionDenied(String message) {
    return new CriException(Status.Code.PERMISSION_DENIED, message, null);
  }

  public static CriException unimplemented(String message) {
    return new CriException(Status.Code.UNIMPLEMENTED, message, null);
  }

  public static CriException deadlineExceeded(String message, Throwable cause) {
    return new CriException(Status.Code.DEADLINE_EXCEEDED, message, cause);
  }

  public static CriException unavailable(String message, Throwable cause) {
    return new CriException(Status.Code.UNAVAILABLE, message, cause);
  }

  /** A failure with no more specific code; the cause's message is appended. */
  public static CriException unknown(String message, Throwable cause) {
    String detail = cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage();
    return new CriException(Status.Code.UNKNOWN, message + detail, cause);
  }
}
