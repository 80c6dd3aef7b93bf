package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SeccompFilterTest {

  @Test
  void unconfinedAllowsEverythingInRkt() {
    SeccompFilter filter = SeccompFilter.unconfined();

    assertThat(filter.rktValue()).isEqualTo("mode=retain,@appc.io/all");
    assertThat(filter.supervisorValue()).isNull();
  }

  @Test
  void removeListForms() {
    SeccompFilter filter = SeccompFilter.remove(Set.of("umount2", "mount"), "EPERM");

    assertThat(filter.rktValue()).isEqualTo("mode=remove,mount,umount2,errno=EPERM");
    assertThat(filter.supervisorValue()).isEqualTo("remove:mount,umount2;errno=EPERM");
  }

  @Test
  void retainListForms() {
    SeccompFilter filter = SeccompFilter.retain(Set.of("write", "read"), "ENOSYS");

    assertThat(filter.rktValue()).isEqualTo("mode=retain,read,write,errno=ENOSYS");
    assertThat(filter.supervisorValue()).isEqualTo("retain:read,write;errno=ENOSYS");
  }

  @Test
  void emptyRemoveListIsUnconfined() {
    assertThat(SeccompFilter.remove(Set.of(), "EPERM")).isEqualTo(SeccompFilter.unconfined());
  }

  @Test
  void admittingWidensRetainList() {
    SeccompFilter filter = SeccompFilter.retain(Set.of("read"), "EPERM");

    assertThat(filter.admitting(Set.of("setresuid", "read")).syscalls())
        .containsExactly("read", "setresuid");
  }

  @Test
  void admittingNarrowsRemoveList() {
    SeccompFilter filter = SeccompFilter.remove(Set.of("mount", "setresuid"), "EPERM");

    assertThat(filter.admitting(Set.of("setresuid")).syscalls()).containsExactly("mount");
  }

  @Test
  void admittingCanEmptyRemoveList() {
    SeccompFilter filter = SeccompFilter.remove(Set.of("setresuid"), "EPERM");

    assertThat(filter.admitting(SupervisorSyscalls.REQUIRED))
        .isEqualTo(SeccompFilter.unconfined());
  }

  @Test
  void rejectsMalformedNamesAndErrnos() {
    assertThatThrownBy(() -> SeccompFilter.remove(Set.of("mount,x"), "EPERM"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SeccompFilter.remove(Set.of("mount"), "eperm"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SeccompFilter.retain(Set.of("read"), null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
