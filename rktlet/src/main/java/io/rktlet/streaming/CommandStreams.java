package io.rktlet.streaming;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The standard streams of one exec or attach session, whatever the transport. Streams that the
 * request did not ask for are null.
 */
interface CommandStreams {
  InputStream stdin();

  OutputStream stdout();

  OutputStream stderr();

  /** Sizes from the client's resize messages; present in every session, empty without a TTY. */
  TerminalSizeQueue resizes();

  /** Returns whether the client is still connected. */
  boolean isConnected();

  /**
   * Ends the session: closes the output streams, sends the status on the error stream and
   * closes the connection once the client has read it.
   */
  void finish(ExecStatus status);
}
