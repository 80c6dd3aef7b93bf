package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rktlet.cri.v1.Device;
import io.rktlet.errors.CriException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DevicePlannerTest {
  private static final Map<String, DevicePlanner.DeviceNode> NODES = Map.of(
      "/dev/fuse", new DevicePlanner.DeviceNode(Path.of("/dev/fuse"), 'c', 10, 229),
      "/dev/disk/by-id/x", new DevicePlanner.DeviceNode(Path.of("/dev/sdb"), 'b', 8, 16));

  private final DevicePlanner planner = new DevicePlanner(path -> {
    if (path.toString().equals("/etc/passwd")) {
      return Optional.empty();
    }
    DevicePlanner.DeviceNode node = NODES.get(path.toString());
    if (node == null) {
      throw new NoSuchFileException(path.toString());
    }
    return Optional.of(node);
  });

  @Test
  void plansBindsWithResolvedPaths() {
    List<DeviceBind> binds = planner.plan(List.of(
        device("/dev/fuse", "/dev/fuse", "rw"),
        device("/dev/xvdb", "/dev/disk/by-id/x", "")), "config.devices");

    assertThat(binds).containsExactly(
        new DeviceBind(Path.of("/dev/fuse"), "/dev/fuse", 'c', 10, 229, "rw"),
        new DeviceBind(Path.of("/dev/sdb"), "/dev/xvdb", 'b', 8, 16, "rwm"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "regular file         | /dev/passwd | /etc/passwd | rw  | [0].host_path"
          + " | not a character or block device",
      "missing host path    | /dev/x      | /dev/nope   | rw  | [0].host_path | does not exist",
      "relative host path   | /dev/x      | dev/fuse    | rw  | [0].host_path"
          + " | not an absolute path",
      "relative target      | dev/fuse    | /dev/fuse   | rw  | [0].container_path"
          + " | not an absolute path",
      "unnormalized target  | /dev/../etc/x | /dev/fuse | rw  | [0].container_path | normalized",
      "unknown permission   | /dev/fuse   | /dev/fuse   | rwx | [0].permissions | one or more of r",
      "repeated permission  | /dev/fuse   | /dev/fuse   | rr  | [0].permissions | at most once",
  })
  void rejects(String description, String containerPath, String hostPath, String permissions,
      String field, String reason) {
    List<Device> devices = List.of(device(containerPath, hostPath, permissions));

    assertThatThrownBy(() -> planner.plan(devices, "config.devices"))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("invalid config.devices" + field)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "dev_t {0} is {1}:{2}")
  @CsvSource({"259, 1, 3", "2065, 8, 17", "65546, 256, 10", "17592186044417, 4096, 1",
      "269484032, 0, 65792"})
  void decodesDeviceNumbers(long rdev, long major, long minor) {
    assertThat(DevicePlanner.major(rdev)).isEqualTo(major);
    assertThat(DevicePlanner.minor(rdev)).isEqualTo(minor);
  }

  @Test
  void hostInspectorReadsDevNull() throws IOException {
    Path devNull = Path.of("/dev/null");
    assumeTrue(Files.exists(devNull), "no /dev/null on this host");

    Optional<DevicePlanner.DeviceNode> node = DevicePlanner.inspectHost(devNull);

    assertThat(node).contains(new DevicePlanner.DeviceNode(devNull, 'c', 1, 3));
  }

  @Test
  void hostInspectorRejectsRegularFile(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");

    assertThat(DevicePlanner.inspectHost(file)).isEmpty();
  }

  private static Device device(String containerPath, String hostPath, String permissions) {
    return Device.newBuilder().setContainerPath(containerPath).setHostPath(hostPath)
        .setPermissions(permissions).build();
  }
}
