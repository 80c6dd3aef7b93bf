package io.rktlet.check;

import io.rktlet.config.RktletConfig;
import io.rktlet.process.ProcessRunner;
import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktCliConfig;
import io.rktlet.rkt.RktImage;
import io.rktlet.rkt.SandboxSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks that the stage1 image of every runtime handler exists: a file for {@code path:} and
 * {@code dir:} images, an image in rkt's store for {@code name:} and {@code hash:} images.
 */
final class Stage1Checks {
  private final RktletConfig.Rkt rkt;
  private final RktCli rktCli;
  private final Path stage1ImagesDir;
  private List<RktImage> store;
  private String storeError;

  Stage1Checks(RktletConfig.Rkt rkt, ProcessRunner runner, Duration timeout,
      Path stage1ImagesDir) {
    this.rkt = rkt;
    this.rktCli = new RktCli(new RktCliConfig(rkt.binary(), rkt.dataDir(), rkt.localConfig(),
        null, timeout), runner);
    this.stage1ImagesDir = stage1ImagesDir;
  }

  /** Returns one result per runtime handler, the default handler first. */
  List<CheckResult> all(boolean rktRuns) {
    List<CheckResult> results = new ArrayList<>();
    for (Map.Entry<String, SandboxSpec.Stage1> handler : rkt.stage1ByHandler().entrySet()) {
      String name = "stage1 " + (handler.getKey().isEmpty() ? "(default)" : handler.getKey());
      results.add(check(name, handler.getValue(), rktRuns));
    }
    return results;
  }

  private CheckResult check(String name, SandboxSpec.Stage1 stage1, boolean rktRuns) {
    if (stage1 == null) {
      // rkt picks its default stage1 (its configuration, or the one built in) only at pod
      // start, so there is no file or image name to look for.
      return rktRuns ? CheckResult.ok(name, "rkt's default stage1, which only a pod start "
          + "can test") : RktChecks.notChecked(name);
    }
    String setting = notation(stage1);
    // rkt fails with "stage1 does not support mutable pods" when the fly flavour runs an app
    // API pod.
    if (stage1.value().contains("stage1-fly")) {
      return CheckResult.fail(name, setting + " is the fly flavour, which cannot run the "
          + "mutable pods that rkt app needs", "use the host, coreos or kvm stage1 flavour");
    }
    return switch (stage1.kind()) {
      case PATH -> fileExists(name, setting, Path.of(stage1.value()));
      case FROM_DIR -> fileExists(name, setting, stage1ImagesDir.resolve(stage1.value()));
      case URL -> CheckResult.ok(name, setting + " (not checked, because rkt fetches it at "
          + "first use)");
      case NAME, HASH -> inStore(name, setting, stage1, rktRuns);
    };
  }

  private static CheckResult fileExists(String name, String setting, Path file) {
    if (Files.isRegularFile(file)) {
      return CheckResult.ok(name, setting + ": " + file + " exists");
    }
    return CheckResult.fail(name, setting + ": " + file + " does not exist",
        "install the stage1 image (an .aci file) there, or change the handler's stage1 "
            + "setting");
  }

  private CheckResult inStore(String name, String setting, SandboxSpec.Stage1 stage1,
      boolean rktRuns) {
    if (!rktRuns) {
      return RktChecks.notChecked(name);
    }
    if (store == null && storeError == null) {
      try {
        store = rktCli.imageList();
      } catch (RuntimeException e) {
        storeError = e.getMessage();
      }
    }
    if (storeError != null) {
      return CheckResult.warn(name, setting + " not checked, because rkt image list failed: "
          + storeError, "run rkt image list to see why");
    }
    for (RktImage image : store) {
      if (matches(stage1, image)) {
        return CheckResult.ok(name, setting + " is in rkt's image store as " + image.id());
      }
    }
    return CheckResult.fail(name, setting + " is not in rkt's image store",
        "import it with rkt --dir=" + rkt.dataDir() + " fetch --insecure-options=image "
            + "FILE.aci, or set the handler's stage1 to path:FILE.aci");
  }

  /** Writes the image the way the configuration does, for example {@code name:NAME}. */
  private static String notation(SandboxSpec.Stage1 stage1) {
    String prefix = switch (stage1.kind()) {
      case NAME -> "name:";
      case PATH -> "path:";
      case URL -> "url:";
      case HASH -> "hash:";
      case FROM_DIR -> "dir:";
    };
    return prefix + stage1.value();
  }

  /**
   * Tells whether a store image is the configured one. rkt lists images as {@code name:version},
   * so a name without a version matches any version of that name.
   */
  static boolean matches(SandboxSpec.Stage1 stage1, RktImage image) {
    String value = stage1.value();
    if (stage1.kind() == SandboxSpec.Stage1.Kind.HASH) {
      return image.id().startsWith(value);
    }
    boolean hasVersion = value.lastIndexOf(':') > value.lastIndexOf('/');
    return image.name().equals(value) || !hasVersion && image.name().startsWith(value + ":");
  }
}
