package io.rktlet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.rkt.SandboxSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigResolverTest {
  @TempDir
  Path dir;

  private static RktletConfig resolve(String... args) {
    Options options = new Options();
    new CommandLine(options).parseArgs(args);
    return ConfigResolver.resolve(options);
  }

  @Test
  void defaultsApplyWithoutFileOrFlags() {
    RktletConfig config = resolve("--config=" + emptyFile());

    assertThat(config.socket()).isEqualTo(Path.of("/run/rktlet/rktlet.sock"));
    assertThat(config.rkt().binary()).isEqualTo(Path.of("/usr/bin/rkt"));
    assertThat(config.rkt().dataDir()).isEqualTo(Path.of("/var/lib/rkt"));
    assertThat(config.rkt().stage1ByHandler()).containsOnlyKeys("");
    assertThat(config.rkt().stage1ByHandler().get("")).isNull();
    assertThat(config.streaming().address()).isEqualTo("127.0.0.1:0");
    assertThat(config.host().launcher()).isEqualTo(LauncherKind.AUTO);
    assertThat(config.reconcileInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.registries()).isEmpty();
  }

  @Test
  void fileSetsEverySection() throws IOException {
    Path file = dir.resolve("rktlet.toml");
    Files.writeString(file, String.join("\n",
        "socket = \"/tmp/r.sock\"",
        "cgroup_driver = \"systemd\"",
        "sandbox_launcher = \"detached\"",
        "[rkt]",
        "binary = \"/opt/rkt\"",
        "stage1 = \"name:coreos.com/rkt/stage1-host:1.30.0\"",
        "network = \"podnet\"",
        "command_timeout_seconds = 30",
        "[runtime_handlers]",
        "kvm = \"/usr/lib/rkt/stage1-kvm.aci\"",
        "[registries.\"docker.io\"]",
        "mirrors = [\"http://127.0.0.1:5000\"]",
        "[registries.\"127.0.0.1:5001\"]",
        "insecure = true",
        ""));

    RktletConfig config = resolve("--config=" + file);

    assertThat(config.socket()).isEqualTo(Path.of("/tmp/r.sock"));
    assertThat(config.host().cgroupDriver()).isEqualTo(CgroupDriver.SYSTEMD);
    assertThat(config.host().launcher()).isEqualTo(LauncherKind.DETACHED);
    assertThat(config.rkt().binary()).isEqualTo(Path.of("/opt/rkt"));
    assertThat(config.rkt().network()).isEqualTo("podnet");
    assertThat(config.rkt().commandTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.rkt().stage1ByHandler().get("")).isEqualTo(new SandboxSpec.Stage1(
        SandboxSpec.Stage1.Kind.NAME, "coreos.com/rkt/stage1-host:1.30.0"));
    assertThat(config.rkt().stage1ByHandler().get("kvm")).isEqualTo(new SandboxSpec.Stage1(
        SandboxSpec.Stage1.Kind.PATH, "/usr/lib/rkt/stage1-kvm.aci"));
    assertThat(config.registries().get("docker.io").mirrors())
        .containsExactly(URI.create("http://127.0.0.1:5000"));
    assertThat(config.registries().get("127.0.0.1:5001").insecure()).isTrue();
  }

  @Test
  void flagsWinOverFile() throws IOException {
    Path file = dir.resolve("rktlet.toml");
    Files.writeString(file, "socket = \"/tmp/from-file.sock\"\n[rkt]\nbinary = \"/opt/rkt\"\n");

    RktletConfig config = resolve("--config=" + file, "--socket=/tmp/flag.sock",
        "--runtime-handler=fly=name:coreos.com/rkt/stage1-fly:1.30.0",
        "--registry-mirror=registry.k8s.io=http://127.0.0.1:5000",
        "--insecure-registry=127.0.0.1:5000");

    assertThat(config.socket()).isEqualTo(Path.of("/tmp/flag.sock"));
    assertThat(config.rkt().binary()).isEqualTo(Path.of("/opt/rkt"));
    assertThat(config.rkt().stage1ByHandler()).containsKeys("", "fly");
    assertThat(config.registries().get("registry.k8s.io").mirrors()).hasSize(1);
    assertThat(config.registries().get("127.0.0.1:5000").insecure()).isTrue();
  }

  @Test
  void unknownKeyInFileIsAnError() throws IOException {
    Path file = dir.resolve("rktlet.toml");
    Files.writeString(file, "sokcet = \"/tmp/r.sock\"\n");

    assertThatThrownBy(() -> resolve("--config=" + file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sokcet");
  }

  @Test
  void invalidValuesNameTheOption() {
    assertThatThrownBy(() -> resolve("--config=" + emptyFile(), "--cgroup-driver=cgroupv3"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cgroup driver \"cgroupv3\"");
    assertThatThrownBy(() -> resolve("--config=" + emptyFile(), "--registry-mirror=docker.io"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--registry-mirror");
    assertThatThrownBy(() -> resolve("--config=" + emptyFile(),
        "--registry-mirror=docker.io=ftp://x"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ftp://x");
    assertThatThrownBy(() -> resolve("--config=" + emptyFile(), "--rkt-timeout=0"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rkt command timeout 0");
  }

  @Test
  void missingExplicitFileIsAnError() {
    assertThatThrownBy(() -> resolve("--config=" + dir.resolve("absent.toml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not exist");
  }

  private Path emptyFile() {
    try {
      return Files.writeString(dir.resolve("empty.toml"), "");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
