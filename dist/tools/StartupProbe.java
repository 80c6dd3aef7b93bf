import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.rktlet.cri.v1.RuntimeServiceGrpc;
import io.rktlet.cri.v1.VersionRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Starts rktlet repeatedly and measures the time from launch until a CRI Version call on its
 * socket succeeds. Run it with the source launcher and rktlet's jar on the class path, which has
 * the gRPC client and the CRI stubs:
 *
 * <pre>
 * java -cp rktlet.jar StartupProbe.java [--runs=N] -- COMMAND ARGS...
 * </pre>
 *
 * <p>Every run gets a fresh directory, written into the command wherever {@code {dir}} appears.
 * The socket must be {@code {dir}/rktlet.sock}, and {@code {dir}/rktlet.toml} is an empty
 * configuration file. After the Version call succeeds, rktlet gets SIGTERM and must exit
 * within 30 s. The probe prints one line per run, then {@code median_ms=N} and
 * {@code median_cpu_ms=N}. CPU time is less disturbed than wall time when other programs load
 * the machine. The build uses one run to train the AppCDS archive.
 */
// EpollEventLoopGroup is deprecated in Netty 4.2, but grpc-netty still takes it.
@SuppressWarnings("deprecation")
public final class StartupProbe {
  private static final long POLL_MILLIS = 5;
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final long STOP_TIMEOUT_SECONDS = 30;

  public static void main(String[] args) throws Exception {
    int separator = Arrays.asList(args).indexOf("--");
    if (separator < 0 || separator == args.length - 1) {
      System.err.println("usage: StartupProbe [--runs=N] -- COMMAND ARGS...");
      System.exit(2);
    }
    int runs = 1;
    for (String option : Arrays.asList(args).subList(0, separator)) {
      if (!option.startsWith("--runs=")) {
        System.err.println("unknown option " + option);
        System.exit(2);
      }
      runs = Integer.parseInt(option.substring("--runs=".length()));
    }
    List<String> command = Arrays.asList(args).subList(separator + 1, args.length);
    // The client's own Netty warnings would mix with the measurements. rktlet's logback.xml
    // sets io.netty's level itself, so the root level alone does not cover it.
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.ERROR);
    ((Logger) LoggerFactory.getLogger("io.netty")).setLevel(Level.ERROR);
    EpollEventLoopGroup group = new EpollEventLoopGroup(1);
    try {
      warmUp(group);
      List<Long> millis = new ArrayList<>();
      List<Long> cpuMillis = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        long[] measured = measure(command, group);
        System.out.println("run " + run + ": " + measured[0] + " ms, " + measured[1]
            + " ms of CPU");
        millis.add(measured[0]);
        cpuMillis.add(measured[1]);
      }
      System.out.println("median_ms=" + median(millis));
      System.out.println("median_cpu_ms=" + median(cpuMillis));
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    int size = sorted.size();
    return size % 2 == 1 ? sorted.get(size / 2)
        : (sorted.get(size / 2 - 1) + sorted.get(size / 2)) / 2;
  }

  /** Loads the client's classes before the first measurement, so only rktlet is timed. */
  private static void warmUp(EpollEventLoopGroup group) throws IOException {
    Path dir = Files.createTempDirectory("rktlet-probe");
    try {
      tryVersion(dir.resolve("none.sock"), group);
    } finally {
      Files.deleteIfExists(dir);
    }
  }

  /**
   * Returns the wall time from launch to the first successful Version call, and the CPU time
   * that rktlet's JVM and its finished children (rkt processes) used until then.
   */
  private static long[] measure(List<String> template, EpollEventLoopGroup group)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("rktlet-startup");
    Path socket = dir.resolve("rktlet.sock");
    Path log = dir.resolve("rktlet.log");
    Files.writeString(dir.resolve("rktlet.toml"), "");
    List<String> command = template.stream().map(arg -> arg.replace("{dir}", dir.toString()))
        .toList();
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      long deadline = start + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException("rktlet exited with " + process.exitValue()
              + " during start-up; its log:\n" + Files.readString(log));
        }
        if (Files.exists(socket) && tryVersion(socket, group)) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("rktlet did not complete a Version call within "
              + START_TIMEOUT_SECONDS + " s; its log:\n" + Files.readString(log));
        }
        Thread.sleep(POLL_MILLIS);
      }
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      long cpu = cpuMillis(process.pid());
      stop(process, log);
      return new long[] {elapsed, cpu};
    } finally {
      process.destroyForcibly();
      deleteTree(dir);
    }
  }

  /**
   * Reads utime, stime, cutime and cstime from /proc/PID/stat, in clock ticks of 10 ms (the
   * USER_HZ of Linux on x86-64), and returns their sum in milliseconds.
   */
  private static long cpuMillis(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name in parentheses may contain spaces; the fields after it do not.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = 0;
    for (int field = 14; field <= 17; field++) {
      ticks += Long.parseLong(fields[field - 3]);
    }
    return ticks * 10;
  }

  private static boolean tryVersion(Path socket, EpollEventLoopGroup group) {
    ManagedChannel channel = NettyChannelBuilder
        .forAddress(new DomainSocketAddress(socket.toString()))
        .channelType(EpollDomainSocketChannel.class)
        .eventLoopGroup(group)
        .usePlaintext()
        .build();
    try {
      RuntimeServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(2, TimeUnit.SECONDS)
          .version(VersionRequest.getDefaultInstance());
      return true;
    } catch (RuntimeException e) {
      return false;
    } finally {
      channel.shutdownNow();
    }
  }

  /** Sends SIGTERM and waits, so a JVM that writes an AppCDS archive at exit can finish it. */
  private static void stop(Process process, Path log) throws InterruptedException, IOException {
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("rktlet ignored SIGTERM for " + STOP_TIMEOUT_SECONDS
          + " s; its log:\n" + Files.readString(log));
    }
    // The JVM exits with 128 + 15 after SIGTERM once its shutdown hooks ran.
    if (process.exitValue() != 0 && process.exitValue() != 143) {
      throw new IllegalStateException("rktlet exited with " + process.exitValue()
          + " after SIGTERM; its log:\n" + Files.readString(log));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
