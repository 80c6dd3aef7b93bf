package io.rktlet.streaming;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A line echo server on loopback that prefixes each reply with its name, so a test can tell
 * which port a forwarded connection reached. It closes a connection when the client half-closes.
 */
final class EchoServer implements Closeable {
  private final String name;
  private final ServerSocket serverSocket;
  private final AtomicInteger openConnections = new AtomicInteger();
  private final AtomicInteger maxOpenConnections = new AtomicInteger();
  private final AtomicInteger acceptedConnections = new AtomicInteger();

  EchoServer(String name) throws IOException {
    this.name = name;
    this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptConnections, "echo-" + name);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  int maxOpenConnections() {
    return maxOpenConnections.get();
  }

  int acceptedConnections() {
    return acceptedConnections.get();
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
  }

  private void acceptConnections() {
    while (!serverSocket.isClosed()) {
      try {
        Socket socket = serverSocket.accept();
        acceptedConnections.incrementAndGet();
        maxOpenConnections.accumulateAndGet(openConnections.incrementAndGet(), Math::max);
        Thread connection = new Thread(() -> echo(socket), "echo-" + name + "-connection");
        connection.setDaemon(true);
        connection.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void echo(Socket socket) {
    try (socket) {
      BufferedReader reader = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      String line;
      while ((line = reader.readLine()) != null) {
        out.write((name + ":" + line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      // The client reset the connection.
    } finally {
      openConnections.decrementAndGet();
    }
  }
}
