package io.rktlet.containerio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRecordTallyTest {
  @TempDir
  Path stateDir;

  private void status(String containerId, String text) throws Exception {
    ContainerDirectory dir = ContainerDirectory.of(stateDir, containerId);
    Files.createDirectories(dir.statusFile().getParent());
    Files.writeString(dir.statusFile(), text);
  }

  @Test
  void sumsTheCountsInLiveContainersStatusFiles() throws Exception {
    status("a", "state=running\npid=12\nstarted_at=1\nreopened=0\nrecords=7\n");
    status("b", "state=exited\npid=13\nstarted_at=1\nexit_code=0\nsignal=0\nfinished_at=2\n"
        + "reopened=1\nrecords=5\n");
    LogRecordTally tally = new LogRecordTally(stateDir);

    assertThat(tally.total(List.of("a", "b"))).isEqualTo(12);
    assertThat(tally.total(List.of("a"))).isEqualTo(7);
  }

  @Test
  void containersWithoutStatusOrCountAddNothing() throws Exception {
    status("old", "state=running\npid=12\nstarted_at=1\nreopened=0\n");
    LogRecordTally tally = new LogRecordTally(stateDir);

    assertThat(tally.total(List.of("old", "never-started"))).isZero();
  }

  @Test
  void retiredContainerKeepsItsCount() throws Exception {
    status("a", "state=exited\nexit_code=0\nreopened=0\nrecords=9\n");
    LogRecordTally tally = new LogRecordTally(stateDir);

    tally.retire("a");
    ContainerDirectory.of(stateDir, "a").delete();

    assertThat(tally.total(List.of())).isEqualTo(9);
  }
}
