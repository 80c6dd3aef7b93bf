package io.rktlet.server;

import io.grpc.Status;
import io.rktlet.errors.CriException;
import io.rktlet.rkt.RktException;
import io.rktlet.rkt.RktFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The only place where exceptions become gRPC status codes. */
final class ErrorMapping {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

  private ErrorMapping() {}

  static Status toStatus(String method, Throwable error) {
    if (error instanceof CriException) {
      CriException cri = (CriException) error;
      return Status.fromCode(cri.code()).withDescription(cri.getMessage()).withCause(cri);
    }
    if (error instanceof RktException) {
      RktException rkt = (RktException) error;
      Status.Code code = rkt.failure() == RktFailure.TIMEOUT
          ? Status.Code.DEADLINE_EXCEEDED : Status.Code.UNKNOWN;
      return Status.fromCode(code).withDescription(method + ": " + rkt.getMessage())
          .withCause(rkt);
    }
    log.error("Unexpected error in {}", method, error);
    return Status.UNKNOWN
        .withDescription(method + " failed: " + error)
        .withCause(error);
  }

  /** True for codes logged as warnings: the request or its own deadline is at fault. */
  static boolean isClientError(Status.Code code) {
    switch (code) {
      case INVALID_ARGUMENT:
      case NOT_FOUND:
      case ALREADY_EXISTS:
      case FAILED_PRECONDITION:
      case UNIMPLEMENTED:
      case OUT_OF_RANGE:
      case CANCELLED:
      case RESOURCE_EXHAUSTED:
      // The call's own deadline, such as a probe's ExecSync timeout, not a fault of rktlet.
      case DEADLINE_EXCEEDED:
        return true;
      default:
        return false;
    }
  }
}
