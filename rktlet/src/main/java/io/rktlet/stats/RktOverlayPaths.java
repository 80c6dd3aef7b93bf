package io.rktlet.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Locations of an app's writable layer when its pod uses overlayfs, following rkt 1.30.0's
 * stage0 (prepareOverlay in stage0/run.go, paths from common/common.go):
 *
 * <ul>
 *   <li>upper directory, the app's writes: {@code <data dir>/pods/run/<pod UUID>/overlay/
 *       <tree store ID>/upper/<app>};
 *   <li>overlayfs work directory: {@code .../overlay/<tree store ID>/work/<app>};
 *   <li>the tree store ID (such as {@code deps-sha512-0962e385...}) is the content of
 *       {@code <data dir>/pods/run/<pod UUID>/appsinfo/<app>/treeStoreID}.
 * </ul>
 *
 * <p>The recorded app mounts matched: {@code upperdir=<data dir>/pods/run/<uuid>/overlay/
 * deps-sha512-0962e385.../upper/u1}. Apps of one image share {@code overlay/<tree store ID>},
 * which is why {@code rkt app rm} of one of them removes the others' writable layers too.
 */
public final class RktOverlayPaths {
  private static final Pattern POD_UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern APP_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern TREE_STORE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Path dataDir;

  /** @param dataDir rkt's {@code --dir} */
  public RktOverlayPaths(Path dataDir) {
    this.dataDir = dataDir;
  }

  /**
   * Returns the app's overlay upper directory.
   *
   * @throws java.nio.file.NoSuchFileException when the app has no treeStoreID file (no such
   *     app, or a pod rendered without overlayfs)
   * @throws IOException when the file cannot be read or its content is no tree store ID
   */
  public Path upperDir(String podUuid, String appName) throws IOException {
    return imageDir(podUuid, appName).resolve("upper").resolve(appName);
  }

  /** Returns the app's overlayfs work directory. */
  public Path workDir(String podUuid, String appName) throws IOException {
    return imageDir(podUuid, appName).resolve("work").resolve(appName);
  }

  private Path imageDir(String podUuid, String appName) throws IOException {
    if (!POD_UUID.matcher(podUuid).matches()) {
      throw new IllegalArgumentException("invalid rkt pod UUID " + podUuid);
    }
    if (!APP_NAME.matcher(appName).matches()) {
      throw new IllegalArgumentException("invalid rkt app name " + appName);
    }
    Path pod = dataDir.resolve("pods/run").resolve(podUuid);
    Path idFile = pod.resolve("appsinfo").resolve(appName).resolve("treeStoreID");
    String treeStoreId = Files.readString(idFile).strip();
    if (!TREE_STORE_ID.matcher(treeStoreId).matches()) {
      throw new IOException("invalid tree store ID " + treeStoreId + " in " + idFile);
    }
    return pod.resolve("overlay").resolve(treeStoreId);
  }
}
