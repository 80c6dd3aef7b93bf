package io.rktlet.streaming;

import java.io.IOException;
import java.nio.channels.ByteChannel;

/**
 * A port-forward connection that can end the data it sends while it goes on reading, as a TCP
 * half-close does. A runtime whose connections are not {@link java.nio.channels.SocketChannel}s
 * returns one, so that a client's end of data reaches the target.
 */
public interface HalfCloseableChannel extends ByteChannel {
  /** Ends the data sent to the target, which then reads end of stream. */
  void shutdownOutput() throws IOException;
}
