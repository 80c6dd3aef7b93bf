package io.rktlet.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.rktlet.config.HostPort;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP server that serves {@code /metrics} in the Prometheus text format. */
public final class MetricsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

  private final HTTPServer server;
  private final HostPort address;

  private MetricsServer(HTTPServer server, HostPort address) {
    this.server = server;
    this.address = address;
  }

  /** Binds {@code address} and starts serving; port 0 picks a free port. */
  public static MetricsServer start(HostPort address, Metrics metrics) throws IOException {
    HTTPServer server;
    try {
      server = HTTPServer.builder()
          .hostname(address.host())
          .port(address.port())
          .registry(metrics.registry())
          .buildAndStart();
    } catch (IOException e) {
      throw new IOException("cannot serve metrics on " + address + ": " + e.getMessage()
          + "; choose another --metrics-address", e);
    }
    HostPort bound = new HostPort(address.host(), server.getPort());
    log.info("Serving Prometheus metrics on http://{}/metrics", bound);
    return new MetricsServer(server, bound);
  }

  /** Returns the address the server listens on, with the port the kernel chose for port 0. */
  public HostPort address() {
    return address;
  }

  @Override
  public void close() {
    server.stop();
    log.info("Stopped serving metrics on {}", address);
  }
}
