package io.rktlet.streaming;

/** A validated CRI request that waits, behind its token, for the client to connect. */
sealed interface PendingStream permits CommandRequest, PortForwardTarget {
  StreamKind kind();
}
