package io.rktlet.containerio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the CRI log records that supervisors have written, for the metrics endpoint. Each
 * supervisor reports its own count in its status file, at most 5 s late. The counts of removed
 * containers are kept here, so the total never goes down while rktlet runs.
 */
public final class LogRecordTally {
  private static final Logger log = LoggerFactory.getLogger(LogRecordTally.class);

  private final Path stateDir;
  private final AtomicLong removed = new AtomicLong();

  public LogRecordTally(Path stateDir) {
    this.stateDir = stateDir;
  }

  /** Keeps the final count of a container whose directory is about to be deleted. */
  public void retire(String containerId) {
    removed.addAndGet(records(containerId));
  }

  /** Sums the records of the given live containers and those of every retired one. */
  public long total(Collection<String> containerIds) {
    long sum = removed.get();
    for (String id : containerIds) {
      sum += records(id);
    }
    return sum;
  }

  private long records(String containerId) {
    try {
      return SupervisorStatus.read(ContainerDirectory.of(stateDir, containerId).statusFile())
          .map(SupervisorStatus::records).orElse(0L);
    } catch (IOException e) {
      log.warn("Cannot read the log record count of container {}: {}", containerId, e.toString());
      return 0;
    }
  }
}
