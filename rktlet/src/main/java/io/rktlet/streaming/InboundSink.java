package io.rktlet.streaming;

import io.netty.buffer.ByteBuf;

/**
 * The receiver of one stream's or channel's data from the client. Called on the connection's
 * event loop only.
 */
interface InboundSink {
  /** A sink that drops everything, for streams the server never reads. */
  InboundSink DISCARD = new InboundSink() {
    @Override
    public void data(ByteBuf data) {}

    @Override
    public void end() {}

    @Override
    public void abort() {}
  };

  /** Receives bytes; the caller keeps ownership of the buffer and releases it afterwards. */
  void data(ByteBuf data);

  /** The client finished sending: no more data follows. */
  void end();

  /** The stream or the whole connection went away before the client finished. */
  void abort();
}
