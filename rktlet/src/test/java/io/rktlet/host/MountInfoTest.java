package io.rktlet.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MountInfoTest {

  @Test
  void parsesPrivateMountFields() {
    MountInfo mount = MountInfo.parse(
        "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resuid=65534");

    assertThat(mount.mountId()).isEqualTo(27);
    assertThat(mount.parentId()).isEqualTo(1);
    assertThat(mount.device()).isEqualTo("254:0");
    assertThat(mount.root()).isEqualTo("/");
    assertThat(mount.mountPoint()).isEqualTo(Path.of("/"));
    assertThat(mount.mountOptions()).containsExactly("rw", "relatime");
    assertThat(mount.optionalFields()).isEmpty();
    assertThat(mount.fsType()).isEqualTo("ext4");
    assertThat(mount.source()).isEqualTo("/dev/vda");
    assertThat(mount.superOptions()).containsExactly("rw", "discard", "resuid=65534");
    assertThat(mount.isShared()).isFalse();
    assertThat(mount.isSlave()).isFalse();
    assertThat(mount.isUnbindable()).isFalse();
    assertThat(mount.isReadOnly()).isFalse();
  }

  @Test
  void parsesSharedPeerGroup() {
    MountInfo mount = MountInfo.parse(
        "61 27 254:0 /var/lib/rkt /var/lib/rkt rw,relatime shared:12 - ext4 /dev/vda rw");

    assertThat(mount.root()).isEqualTo("/var/lib/rkt");
    assertThat(mount.isShared()).isTrue();
    assertThat(mount.sharedGroup()).isEqualTo(OptionalInt.of(12));
    assertThat(mount.isSlave()).isFalse();
  }

  @Test
  void parsesSharedAndSlave() {
    MountInfo mount = MountInfo.parse("88 61 0:52 / /var/lib/rkt/pods/run/x/stage1/rootfs "
        + "ro,nosuid,nodev shared:40 master:12 propagate_from:7 - overlay overlay "
        + "rw,lowerdir=/a:/b,upperdir=/c,workdir=/d");

    assertThat(mount.optionalFields())
        .containsExactly("shared:40", "master:12", "propagate_from:7");
    assertThat(mount.sharedGroup()).isEqualTo(OptionalInt.of(40));
    assertThat(mount.masterGroup()).isEqualTo(OptionalInt.of(12));
    assertThat(mount.isShared()).isTrue();
    assertThat(mount.isSlave()).isTrue();
    assertThat(mount.isReadOnly()).isTrue();
    assertThat(mount.mountOptions()).containsExactly("ro", "nosuid", "nodev");
    assertThat(mount.superOptions())
        .containsExactly("rw", "lowerdir=/a:/b", "upperdir=/c", "workdir=/d");
  }

  @Test
  void parsesSlaveOnly() {
    MountInfo mount = MountInfo.parse(
        "90 27 0:23 / /run/pod rw,nosuid master:3 - tmpfs tmpfs rw,size=1024k");

    assertThat(mount.isSlave()).isTrue();
    assertThat(mount.isShared()).isFalse();
    assertThat(mount.sharedGroup()).isEmpty();
  }

  @Test
  void parsesUnbindable() {
    MountInfo mount = MountInfo.parse(
        "91 27 0:24 / /mnt/fixed rw,relatime unbindable - tmpfs tmpfs rw");

    assertThat(mount.isUnbindable()).isTrue();
    assertThat(mount.isShared()).isFalse();
    assertThat(mount.isSlave()).isFalse();
  }

  @Test
  void decodesEscapedSpaceTabNewlineBackslash() {
    MountInfo mount = MountInfo.parse("45 27 254:0 /tmp/my\\040src /tmp/a\\040b\\011c\\012d\\134e"
        + " rw,relatime - fuse.sshfs user@host:/my\\040dir rw");

    assertThat(mount.root()).isEqualTo("/tmp/my src");
    assertThat(mount.mountPoint()).isEqualTo(Path.of("/tmp/a b\tc\nd\\e"));
    assertThat(mount.source()).isEqualTo("user@host:/my dir");
  }

  @Test
  void keepsBackslashThatIsNoOctalEscape() {
    assertThat(MountInfo.unescape("a\\x2db")).isEqualTo("a\\x2db");
    assertThat(MountInfo.unescape("end\\04")).isEqualTo("end\\04");
    assertThat(MountInfo.unescape("\\040lead")).isEqualTo(" lead");
  }

  @Test
  void acceptsMissingSuperOptions() {
    MountInfo mount = MountInfo.parse("50 27 0:60 / /mnt/odd rw - nsfs nsfs");

    assertThat(mount.superOptions()).isEmpty();
    assertThat(mount.fsType()).isEqualTo("nsfs");
  }

  @Test
  void ignoresUnknownOptionalField() {
    MountInfo mount = MountInfo.parse("50 27 0:60 / /mnt/new rw future:tag - tmpfs tmpfs rw");

    assertThat(mount.optionalFields()).containsExactly("future:tag");
    assertThat(mount.isShared()).isFalse();
  }

  @Test
  void parseAllSkipsBlankLinesAndKeepsOrder() {
    List<MountInfo> mounts = MountInfo.parseAll(
        "27 1 254:0 / / rw - ext4 /dev/vda rw\n"
            + "\n"
            + "45 27 0:40 / /tmp/x rw shared:1 - tmpfs tmpfs rw\n");

    assertThat(mounts).extracting(MountInfo::mountId).containsExactly(27, 45);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "27 1 254:0 / / rw ext4 /dev/vda rw",
      "27 1 254:0 / - ext4 /dev/vda rw",
      "27 1 254:0 / / rw - ext4",
      "x 1 254:0 / / rw - ext4 /dev/vda rw",
  })
  void rejectsMalformedLine(String line) {
    assertThatThrownBy(() -> MountInfo.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mountinfo line");
  }
}
