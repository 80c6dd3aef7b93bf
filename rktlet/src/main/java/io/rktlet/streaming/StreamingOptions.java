package io.rktlet.streaming;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the streaming server.
 *
 * @param address HOST:PORT to bind, {@code [::1]:0} style for IPv6; port 0 picks a free port
 * @param idleTimeout how long a connection may carry no traffic before it is closed
 * @param streamCreationTimeout how long the server waits for the HTTP request after a client
 *     connects, and for the client to create its streams after the upgrade
 * @param tokenTtl how long a URL stays valid after the CRI call returned it
 * @param maxPendingTokens how many issued URLs may wait for their client at once
 * @param closeGracePeriod how long the server waits, after it sent a session's final status, for
 *     the client to close the connection before it closes the connection itself
 * @param tlsCertificate PEM certificate chain for HTTPS, or null to serve plain HTTP
 * @param tlsKey PEM PKCS#8 private key matching {@code tlsCertificate}, or null
 */
public record StreamingOptions(
    String address,
    Duration idleTimeout,
    Duration streamCreationTimeout,
    Duration tokenTtl,
    int maxPendingTokens,
    Duration closeGracePeriod,
    Path tlsCertificate,
    Path tlsKey) {

  public static final String DEFAULT_ADDRESS = "127.0.0.1:0";
  /** The kubelet's default streaming idle timeout. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(4);
  /** The kubelet's default time for a client to create its streams. */
  public static final Duration DEFAULT_STREAM_CREATION_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(1);
  /** The kubelet's bound on URLs that are issued but not used yet. */
  public static final int DEFAULT_MAX_PENDING_TOKENS = 1000;
  public static final Duration DEFAULT_CLOSE_GRACE_PERIOD = Duration.ofSeconds(5);

  public StreamingOptions {
    Objects.requireNonNull(address, "address");
    requirePositive(idleTimeout, "idleTimeout");
    requirePositive(streamCreationTimeout, "streamCreationTimeout");
    requirePositive(tokenTtl, "tokenTtl");
    requirePositive(closeGracePeriod, "closeGracePeriod");
    if (maxPendingTokens < 1) {
      throw new IllegalArgumentException(
          "maxPendingTokens must be at least 1: " + maxPendingTokens);
    }
    if ((tlsCertificate == null) != (tlsKey == null)) {
      throw new IllegalArgumentException(
          "TLS needs both a certificate and a key; got only one of them");
    }
  }

  /** Returns the defaults: loopback, a free port, plain HTTP, the kubelet's timeouts. */
  public static StreamingOptions defaults() {
    return new StreamingOptions(DEFAULT_ADDRESS, DEFAULT_IDLE_TIMEOUT,
        DEFAULT_STREAM_CREATION_TIMEOUT, DEFAULT_TOKEN_TTL, DEFAULT_MAX_PENDING_TOKENS,
        DEFAULT_CLOSE_GRACE_PERIOD, null, null);
  }

  public StreamingOptions withAddress(String newAddress) {
    return new StreamingOptions(newAddress, idleTimeout, streamCreationTimeout, tokenTtl,
        maxPendingTokens, closeGracePeriod, tlsCertificate, tlsKey);
  }

  public StreamingOptions withIdleTimeout(Duration timeout) {
    return new StreamingOptions(address, timeout, streamCreationTimeout, tokenTtl,
        maxPendingTokens, closeGracePeriod, tlsCertificate, tlsKey);
  }

  public StreamingOptions withStreamCreationTimeout(Duration timeout) {
    return new StreamingOptions(address, idleTimeout, timeout, tokenTtl, maxPendingTokens,
        closeGracePeriod, tlsCertificate, tlsKey);
  }

  public StreamingOptions withTokenTtl(Duration ttl) {
    return new StreamingOptions(address, idleTimeout, streamCreationTimeout, ttl,
        maxPendingTokens, closeGracePeriod, tlsCertificate, tlsKey);
  }

  public StreamingOptions withMaxPendingTokens(int max) {
    return new StreamingOptions(address, idleTimeout, streamCreationTimeout, tokenTtl, max,
        closeGracePeriod, tlsCertificate, tlsKey);
  }

  public StreamingOptions withCloseGracePeriod(Duration grace) {
    return new StreamingOptions(address, idleTimeout, streamCreationTimeout, tokenTtl,
        maxPendingTokens, grace, tlsCertificate, tlsKey);
  }

  public StreamingOptions withTls(Path certificate, Path key) {
    return new StreamingOptions(address, idleTimeout, streamCreationTimeout, tokenTtl,
        maxPendingTokens, closeGracePeriod, certificate, key);
  }

  public boolean tlsEnabled() {
    return tlsCertificate != null;
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + duration);
    }
  }
}
