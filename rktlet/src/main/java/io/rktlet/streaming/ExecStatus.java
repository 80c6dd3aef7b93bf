package io.rktlet.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The final status of a session, which the server sends on the error stream. Protocol v4 and
 * later carry a Kubernetes {@code Status} object as JSON. Older protocols carry the failure
 * message as text, and nothing on success.
 */
final class ExecStatus {
  /** Status reason and cause type that clients parse to recover the exit code. */
  static final String NON_ZERO_EXIT_CODE_REASON = "NonZeroExitCode";
  static final String EXIT_CODE_CAUSE_TYPE = "ExitCode";
  private static final String INTERNAL_ERROR_REASON = "InternalError";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean success;
  private final String message;
  private final String reason;
  private final String causeType;
  private final String causeMessage;
  private final int httpCode;

  private ExecStatus(boolean success, String message, String reason, String causeType,
      String causeMessage, int httpCode) {
    this.success = success;
    this.message = message;
    this.reason = reason;
    this.causeType = causeType;
    this.causeMessage = causeMessage;
    this.httpCode = httpCode;
  }

  static ExecStatus success() {
    return new ExecStatus(true, null, null, null, null, 0);
  }

  static ExecStatus nonZeroExit(List<String> command, int exitCode) {
    String message = "command terminated with non-zero exit code: error executing command ["
        + String.join(" ", command) + "], exit code " + exitCode;
    return new ExecStatus(false, message, NON_ZERO_EXIT_CODE_REASON, EXIT_CODE_CAUSE_TYPE,
        Integer.toString(exitCode), 0);
  }

  /** Returns a failure of the server or runtime, not of the command; its HTTP code is 500. */
  static ExecStatus internalError(String error) {
    return new ExecStatus(false, "Internal error occurred: " + error, INTERNAL_ERROR_REASON,
        null, error, 500);
  }

  boolean isSuccess() {
    return success;
  }

  /** Returns the failure message, or "success". */
  String describe() {
    return success ? "success" : message;
  }

  /** Returns the bytes for the error stream of the given protocol. */
  byte[] encode(boolean json) {
    if (json) {
      return toJson().getBytes(StandardCharsets.UTF_8);
    }
    return success ? new byte[0] : message.getBytes(StandardCharsets.UTF_8);
  }

  /** Returns the Status object with its fields in the order Kubernetes writes them. */
  String toJson() {
    ObjectNode status = JSON.createObjectNode();
    status.putObject("metadata");
    if (success) {
      status.put("status", "Success");
      return status.toString();
    }
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    ObjectNode cause = status.putObject("details").putArray("causes").addObject();
    if (causeType != null) {
      cause.put("reason", causeType);
    }
    cause.put("message", causeMessage);
    if (httpCode != 0) {
      status.put("code", httpCode);
    }
    return status.toString();
  }
}
