package io.rktlet.process;

import java.io.IOException;

/** Runs short-lived processes with a deadline. */
public interface ProcessRunner {

  /**
   * Runs the process to completion and captures its output.
   *
   * @throws IOException when the program cannot be started
   */
  ProcessResult run(ProcessSpec spec) throws IOException;
}
