package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.cri.v1.Int64Value;
import io.rktlet.cri.v1.LinuxContainerSecurityContext;
import io.rktlet.cri.v1.SupplementalGroupsPolicy;
import io.rktlet.errors.CriException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentityPlannerTest {
  private static final String PREFIX = "config.linux.security_context";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "image root by default          | null | null | null | null | null   | 0      | null",
      "image user and group           | null | null | null | app  | staff  | app    | staff",
      "image numeric user             | null | null | null | 1000 | 1000   | 1000   | 1000",
      "run_as_user overrides image    | 1001 | null | null | app  | staff  | 1001   | null",
      "run_as_user and run_as_group   | 1001 | null | 2002 | app  | staff  | 1001   | 2002",
      "run_as_username                | null | web  | null | app  | staff  | web    | null",
      "run_as_username and group      | null | web  | 7    | null | null   | web    | 7",
      "uid 0 explicitly               | 0    | null | 0    | app  | null   | 0      | 0",
  })
  void choosesUserAndGroup(String description, Long uid, String username, Long gid,
      String imageUser, String imageGroup, String user, String group) {
    LinuxContainerSecurityContext.Builder context = LinuxContainerSecurityContext.newBuilder();
    if (uid != null) {
      context.setRunAsUser(Int64Value.newBuilder().setValue(uid));
    }
    if (username != null) {
      context.setRunAsUsername(username);
    }
    if (gid != null) {
      context.setRunAsGroup(Int64Value.newBuilder().setValue(gid));
    }

    IdentityPlan plan = IdentityPlanner.plan(context.build(), imageUser, imageGroup, PREFIX);

    assertThat(plan.user()).isEqualTo(user);
    assertThat(plan.group()).isEqualTo(group);
  }

  @Test
  void supplementalGroupsAndPolicy() {
    LinuxContainerSecurityContext context = LinuxContainerSecurityContext.newBuilder()
        .addAllSupplementalGroups(List.of(2000L, 3000L))
        .setSupplementalGroupsPolicy(SupplementalGroupsPolicy.Strict).build();

    IdentityPlan plan = IdentityPlanner.plan(context, null, null, PREFIX);

    assertThat(plan.supervisorGroups()).isEqualTo("2000,3000");
    assertThat(plan.supervisorGroupsPolicy()).isEqualTo("strict");
  }

  @Test
  void mergeIsTheDefaultPolicy() {
    IdentityPlan plan = IdentityPlanner.plan(
        LinuxContainerSecurityContext.getDefaultInstance(), null, null, PREFIX);

    assertThat(plan.policy()).isEqualTo(IdentityPlan.GroupsPolicy.MERGE);
    assertThat(plan.supervisorGroups()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "group without user      | run_as_group        | requires run_as_user",
      "negative user           | run_as_user         | not a valid ID",
      "user too large          | run_as_user         | not a valid ID",
      "user given twice        | run_as_username     | exclusive",
      "name with colon         | run_as_username     | not a valid user or group name",
      "negative supplemental   | supplemental_groups[1] | not a valid ID",
  })
  void rejectsInvalidIdentities(String description, String field, String reason) {
    LinuxContainerSecurityContext context = invalid(description);

    assertThatThrownBy(() -> IdentityPlanner.plan(context, null, null, PREFIX))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("invalid " + PREFIX + "." + field)
        .hasMessageContaining(reason);
  }

  private static LinuxContainerSecurityContext invalid(String description) {
    LinuxContainerSecurityContext.Builder context = LinuxContainerSecurityContext.newBuilder();
    switch (description) {
      case "group without user":
        return context.setRunAsGroup(Int64Value.newBuilder().setValue(5)).build();
      case "negative user":
        return context.setRunAsUser(Int64Value.newBuilder().setValue(-1)).build();
      case "user too large":
        return context.setRunAsUser(Int64Value.newBuilder().setValue(0xFFFF_FFFFL)).build();
      case "user given twice":
        return context.setRunAsUser(Int64Value.newBuilder().setValue(1))
            .setRunAsUsername("web").build();
      case "name with colon":
        return context.setRunAsUsername("web:web").build();
      default:
        return context.addAllSupplementalGroups(List.of(1L, -2L)).build();
    }
  }
}
