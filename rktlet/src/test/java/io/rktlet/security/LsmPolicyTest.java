package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.cri.v1.SELinuxOption;
import io.rktlet.cri.v1.SecurityProfile;
import io.rktlet.errors.CriException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LsmPolicyTest {
  private static final String PREFIX = "config.linux.security_context";

  @TempDir Path dir;

  @ParameterizedTest(name = "apparmor file \"{0}\", selinux {1}")
  @CsvSource({
      "Y,       true,  true,  true",
      "N,       false, false, false",
      "missing, true,  false, true",
  })
  void detectsFromFiles(String appArmorContent, boolean selinuxFile, boolean appArmor,
      boolean selinux) throws IOException {
    Path appArmorFile = dir.resolve("enabled");
    if (!appArmorContent.equals("missing")) {
      Files.writeString(appArmorFile, appArmorContent + "\n");
    }
    Path enforce = dir.resolve("enforce");
    if (selinuxFile) {
      Files.writeString(enforce, "0\n");
    }

    LsmPolicy policy = LsmPolicy.detect(appArmorFile, enforce);

    assertThat(policy.appArmorEnabled()).isEqualTo(appArmor);
    assertThat(policy.selinuxEnabled()).isEqualTo(selinux);
  }

  @ParameterizedTest(name = "{0} accepted, AppArmor enabled {1}")
  @CsvSource({"RuntimeDefault, true", "RuntimeDefault, false", "Unconfined, true",
      "Unconfined, false"})
  void acceptsProfilesThatNeedNothing(SecurityProfile.ProfileType type, boolean enabled) {
    LsmPolicy policy = new LsmPolicy(enabled, false);

    assertThatCode(() -> policy.checkAppArmor(true, profile(type, ""), "", PREFIX))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "deprecated \"{0}\" accepted")
  @CsvSource({"''", "runtime/default", "unconfined"})
  void acceptsDeprecatedNamesThatNeedNothing(String name) {
    LsmPolicy policy = new LsmPolicy(true, false);

    assertThatCode(() -> policy.checkAppArmor(false, SecurityProfile.getDefaultInstance(), name,
        PREFIX)).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "Localhost profile, AppArmor enabled {0}")
  @CsvSource({
      "true,  rkt cannot confine an app with an AppArmor profile",
      "false, AppArmor is not enabled on this host",
  })
  void rejectsLocalhostProfile(boolean enabled, String reason) {
    LsmPolicy policy = new LsmPolicy(enabled, false);
    SecurityProfile profile = profile(SecurityProfile.ProfileType.Localhost, "k8s-nginx");

    assertThatThrownBy(() -> policy.checkAppArmor(true, profile, "", PREFIX))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("invalid " + PREFIX + ".apparmor.localhost_ref \"k8s-nginx\"")
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "deprecated \"{0}\" rejected")
  @CsvSource({
      "localhost/k8s-nginx, AppArmor is not enabled",
      "docker-default,      expected runtime/default",
  })
  void rejectsDeprecatedNames(String name, String reason) {
    LsmPolicy policy = new LsmPolicy(false, false);

    assertThatThrownBy(() -> policy.checkAppArmor(false, SecurityProfile.getDefaultInstance(),
        name, PREFIX))
        .isInstanceOf(CriException.class)
        .hasMessageContaining(PREFIX + ".apparmor_profile")
        .hasMessageContaining(reason);
  }

  @Test
  void acceptsEmptySelinuxOptions() {
    LsmPolicy policy = new LsmPolicy(false, true);

    assertThatCode(() -> policy.checkSelinux(true, SELinuxOption.getDefaultInstance(), PREFIX))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "SELinux label, SELinux enabled {0}")
  @CsvSource({
      "true,  rkt cannot give an app an SELinux label",
      "false, SELinux is not enabled on this host",
  })
  void rejectsSelinuxLabel(boolean enabled, String reason) {
    LsmPolicy policy = new LsmPolicy(false, enabled);
    SELinuxOption label = SELinuxOption.newBuilder().setType("spc_t").setLevel("s0:c1,c2")
        .build();

    assertThatThrownBy(() -> policy.checkSelinux(true, label, PREFIX))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("invalid " + PREFIX + ".selinux_options \"::spc_t:s0:c1,c2\"")
        .hasMessageContaining(reason);
  }

  private static SecurityProfile profile(SecurityProfile.ProfileType type, String reference) {
    return SecurityProfile.newBuilder().setProfileType(type).setLocalhostRef(reference).build();
  }
}
