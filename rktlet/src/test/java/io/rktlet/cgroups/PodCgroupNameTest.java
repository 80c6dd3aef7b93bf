package io.rktlet.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.cgroups.PodCgroupName.CgroupDriver;
import io.rktlet.errors.CriException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodCgroupNameTest {
  private static final String ID =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "cgroupfs burstable     | CGROUPFS | /kubepods/burstable/pod1234-ab"
          + " | kubepods/burstable/pod1234-ab/rktlet-0123456789abcdef",
      "cgroupfs guaranteed    | CGROUPFS | /kubepods/pod99"
          + " | kubepods/pod99/rktlet-0123456789abcdef",
      "cgroupfs trailing slash | CGROUPFS | /kubepods/pod99/"
          + " | kubepods/pod99/rktlet-0123456789abcdef",
      "cgroupfs no parent     | CGROUPFS | ''              | rktlet-0123456789abcdef",
      "cgroupfs root parent   | CGROUPFS | /               | rktlet-0123456789abcdef",
      "systemd burstable      | SYSTEMD  | kubepods-burstable-pod1234_ab.slice"
          + " | kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234_ab.slice"
          + "/rktlet-0123456789abcdef.scope",
      "systemd guaranteed     | SYSTEMD  | kubepods-pod99.slice"
          + " | kubepods.slice/kubepods-pod99.slice/rktlet-0123456789abcdef.scope",
      "systemd top slice      | SYSTEMD  | kubepods.slice"
          + " | kubepods.slice/rktlet-0123456789abcdef.scope",
      "systemd root slice     | SYSTEMD  | -.slice | rktlet-0123456789abcdef.scope",
      "systemd no parent      | SYSTEMD  | ''      | system.slice/rktlet-0123456789abcdef.scope",
      "systemd from cgroupfs  | SYSTEMD  | /kubepods/burstable/pod1234-ab"
          + " | kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234_ab.slice"
          + "/rktlet-0123456789abcdef.scope",
  })
  void buildsPaths(String description, CgroupDriver driver, String parent, String expected) {
    PodCgroupName name = PodCgroupName.forSandbox(driver, parent, ID);

    assertThat(name.relativePath()).isEqualTo(expected);
    assertThat(name.driver()).isEqualTo(driver);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "launcher's service | kubepods-besteffort-pod7.slice | rktlet-pod-0123456789abcdef.service"
          + " | kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod7.slice"
          + "/rktlet-pod-0123456789abcdef.service",
  })
  void buildsPathsForNamedUnits(String description, String parent, String unit,
      String expected) {
    assertThat(PodCgroupName.forSystemdUnit(parent, unit).relativePath()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "slice for cgroupfs     | CGROUPFS | kubepods-pod1.slice  | cgroupfs driver expects an absolute path",
      "relative path          | CGROUPFS | kubepods/pod1        | such as /kubepods/burstable/pod123",
      "dot dot component      | CGROUPFS | /kubepods/../etc     | is not a plain cgroup name",
      "odd characters         | CGROUPFS | /kubepods/a b        | is not a plain cgroup name",
      "not a slice            | SYSTEMD  | kubepods             | expected a systemd slice",
      "double dash in slice   | SYSTEMD  | kubepods--pod1.slice | not a valid systemd slice name",
      "leading dash in slice  | SYSTEMD  | -kubepods.slice      | not a valid systemd slice name",
      "dot dot for systemd    | SYSTEMD  | /kubepods/..         | is not a plain cgroup name",
  })
  void rejectsParents(String description, CgroupDriver driver, String parent, String reason) {
    assertThatThrownBy(() -> PodCgroupName.forSandbox(driver, parent, ID))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("invalid config.linux.cgroup_parent")
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "sandbox ID \"{0}\"")
  @CsvSource({"0123456789abcde", "0123456789ABCDEF", "../0123456789abcdef"})
  void rejectsSandboxIds(String id) {
    assertThatThrownBy(() -> PodCgroupName.forSandbox(CgroupDriver.CGROUPFS, "/kubepods", id))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
