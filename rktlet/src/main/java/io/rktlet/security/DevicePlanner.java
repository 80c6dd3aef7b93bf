package io.rktlet.security;

import io.rktlet.cri.v1.Device;
import io.rktlet.validation.Check;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks the CRI's {@code devices} and turns them into device binds. */
public final class DevicePlanner {
  /** Access for an empty {@code permissions}, as OCI runtimes read an empty access string. */
  static final String ALL_PERMISSIONS = "rwm";

  private static final Pattern PERMISSIONS = Pattern.compile("(?!.*(.).*\\1)[rwm]{1,3}");

  /** Looks up device nodes on the host. */
  public interface DeviceInspector {
    /**
     * Returns the device node at {@code path}, following symbolic links, or empty when the file
     * is no character or block device.
     *
     * @throws NoSuchFileException when nothing exists at {@code path}
     */
    Optional<DeviceNode> inspect(Path path) throws IOException;
  }

  /**
   * A device node.
   *
   * @param realPath the path with symbolic links resolved
   * @param type {@code c} or {@code b}
   */
  public record DeviceNode(Path realPath, char type, long major, long minor) {}

  private final DeviceInspector inspector;

  public DevicePlanner(DeviceInspector inspector) {
    this.inspector = inspector;
  }

  /** Returns a planner that inspects the host's file system. */
  public static DevicePlanner forHost() {
    return new DevicePlanner(DevicePlanner::inspectHost);
  }

  /**
   * Returns one bind per device, in request order.
   *
   * @param prefix request path of the list, such as {@code config.devices}
   * @throws io.rktlet.errors.CriException INVALID_ARGUMENT for a relative path, a host path that
   *     does not exist or is no device node, or permissions other than letters of {@code rwm}
   */
  public List<DeviceBind> plan(List<Device> devices, String prefix) {
    List<DeviceBind> binds = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      Device device = devices.get(i);
      String field = prefix + "[" + i + "]";
      Check.absolutePath(field + ".container_path", device.getContainerPath());
      if (!Path.of(device.getContainerPath()).normalize().toString()
          .equals(device.getContainerPath())) {
        throw Check.invalid(field + ".container_path", device.getContainerPath(),
            "must be a normalized path without '.', '..' or repeated '/'");
      }
      Check.absolutePath(field + ".host_path", device.getHostPath());
      String permissions = device.getPermissions().isEmpty()
          ? ALL_PERMISSIONS : device.getPermissions();
      if (!PERMISSIONS.matcher(permissions).matches()) {
        throw Check.invalid(field + ".permissions", device.getPermissions(),
            "expected one or more of r (read), w (write) and m (mknod), each at most once");
      }
      DeviceNode node = inspect(device.getHostPath(), field + ".host_path");
      binds.add(new DeviceBind(node.realPath(), device.getContainerPath(), node.type(),
          node.major(), node.minor(), permissions));
    }
    return binds;
  }

  private DeviceNode inspect(String hostPath, String field) {
    try {
      return inspector.inspect(Path.of(hostPath)).orElseThrow(() -> Check.invalid(field,
          hostPath, "not a character or block device; only device nodes can be passed to "
              + "a container"));
    } catch (NoSuchFileException e) {
      throw Check.invalid(field, hostPath, "does not exist on the host");
    } catch (IOException e) {
      throw Check.invalid(field, hostPath, "cannot be inspected: " + e);
    }
  }

  /** Reads the node's type and number with the JDK's {@code unix:} file attributes. */
  static Optional<DeviceNode> inspectHost(Path path) throws IOException {
    Path real = path.toRealPath();
    Map<String, Object> attributes = Files.readAttributes(real, "unix:mode,rdev");
    int mode = (Integer) attributes.get("mode");
    long rdev = (Long) attributes.get("rdev");
    char type;
    switch (mode & 0170000) {
      case 0020000:
        type = 'c';
        break;
      case 0060000:
        type = 'b';
        break;
      default:
        return Optional.empty();
    }
    return Optional.of(new DeviceNode(real, type, major(rdev), minor(rdev)));
  }

  /** Decodes the major number of a Linux dev_t, as glibc's gnu_dev_major does. */
  static long major(long rdev) {
    return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & 0xffff_f000L);
  }

  /** Decodes the minor number of a Linux dev_t, as glibc's gnu_dev_minor does. */
  static long minor(long rdev) {
    return (rdev & 0xff) | ((rdev >>> 12) & 0xffff_ff00L);
  }
}
