package io.rktlet.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.testing.Transcripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RktOverlayPathsTest {
  private static final String POD = "14b3c4f1-ef6c-4b91-b2a8-c406b8d662c6";
  private static final String TREE =
      "deps-sha512-0962e38531aaa6f77edc32aa98c08386f59d4ca88aca81dc585790d1793caa3e";

  @TempDir Path dir;

  @Test
  void upperDirMatchesRecordedMount() throws IOException {
    writeTreeStoreId("u1", TREE + "\n");
    String recorded = Transcripts.find("security.jsonl", "inspect u1 process").stdout();
    Matcher upper = Pattern.compile("upperdir=/srv/rkt-lab/data/([^,]+),").matcher(recorded);
    assertThat(upper.find()).isTrue();

    Path path = new RktOverlayPaths(dir).upperDir(POD, "u1");

    assertThat(dir.relativize(path).toString()).isEqualTo(upper.group(1));
  }

  @Test
  void workDirIsBesideUpper() throws IOException {
    writeTreeStoreId("u1", TREE);

    Path path = new RktOverlayPaths(dir).workDir(POD, "u1");

    assertThat(path).isEqualTo(dir.resolve("pods/run/" + POD + "/overlay/" + TREE + "/work/u1"));
  }

  @Test
  void missingAppIsNoSuchFile() {
    assertThatThrownBy(() -> new RktOverlayPaths(dir).upperDir(POD, "nope"))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void rejectsTreeStoreIdWithPath() throws IOException {
    writeTreeStoreId("u1", "../../../etc");

    assertThatThrownBy(() -> new RktOverlayPaths(dir).upperDir(POD, "u1"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("invalid tree store ID ../../../etc");
  }

  @Test
  void rejectsInvalidNames() {
    RktOverlayPaths paths = new RktOverlayPaths(dir);

    assertThatThrownBy(() -> paths.upperDir("../x", "u1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> paths.upperDir(POD, "../u1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void writeTreeStoreId(String app, String content) throws IOException {
    Path info = Files.createDirectories(dir.resolve("pods/run/" + POD + "/appsinfo/" + app));
    Files.writeString(info.resolve("treeStoreID"), content);
  }
}
