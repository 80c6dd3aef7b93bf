package io.rktlet.host;

import io.rktlet.process.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A mountinfo file that changes as a fake {@code mount --bind}, {@code mount --rbind} or
 * {@code umount -l} runs, so the mounter under test finds its own mounts in the table. Other
 * commands succeed without changing the table. Paths must not contain spaces.
 */
final class FakeMountKernel {
  private final Path mountInfoFile;
  private int nextMountId = 100;

  FakeMountKernel(Path mountInfoFile, String... lines) throws IOException {
    this.mountInfoFile = mountInfoFile;
    Files.writeString(mountInfoFile, String.join("\n", lines) + "\n");
  }

  Path mountInfoFile() {
    return mountInfoFile;
  }

  /** Appends a mount line, for a mount that exists before the test starts. */
  void addMount(Path mountPoint, String mountOptions, String optionalFields) throws IOException {
    String tags = optionalFields.isEmpty() ? "" : " " + optionalFields;
    Files.writeString(mountInfoFile, (nextMountId++) + " 27 254:0 / " + mountPoint + " "
        + mountOptions + tags + " - ext4 /dev/vda rw\n", StandardOpenOption.APPEND);
  }

  /** Applies the command to the table and returns its result, like the real programs would. */
  ProcessResult run(List<String> argv) {
    try {
      if (argv.get(0).equals("mount") && argv.size() == 4
          && (argv.get(1).equals("--bind") || argv.get(1).equals("--rbind"))) {
        bind(Path.of(argv.get(2)), Path.of(argv.get(3)));
      } else if (argv.get(0).equals("umount")) {
        if (!detach(Path.of(argv.get(argv.size() - 1)))) {
          return RecordingProcessRunner.result(argv, 32, "",
              "umount: " + argv.get(argv.size() - 1) + ": not mounted.");
        }
      }
      return RecordingProcessRunner.success(argv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds a mount on {@code target} with the per-mount options of the mount of {@code source}. */
  private void bind(Path source, Path target) throws IOException {
    MountInfo containing = new MountTable(mountInfoFile).mountContaining(source);
    addMount(target, String.join(",", containing.mountOptions()), "");
  }

  /** Removes the mounts at and below {@code mountPoint}; returns false when there were none. */
  private boolean detach(Path mountPoint) throws IOException {
    List<String> remainingLines = new ArrayList<>();
    boolean removed = false;
    for (String line : Files.readAllLines(mountInfoFile)) {
      if (MountInfo.parse(line).mountPoint().startsWith(mountPoint)) {
        removed = true;
      } else {
        remainingLines.add(line);
      }
    }
    Files.write(mountInfoFile, remainingLines);
    return removed;
  }
}
