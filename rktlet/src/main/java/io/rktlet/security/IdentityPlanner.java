package io.rktlet.security;

import io.rktlet.cri.v1.LinuxContainerSecurityContext;
import io.rktlet.cri.v1.SupplementalGroupsPolicy;
import io.rktlet.validation.Check;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Chooses the container's user and groups from the security context and, when it names no
 * user, from the image's configured user, as containerd does.
 */
final class IdentityPlanner {
  /** Largest valid UID or GID: (uid_t) -1 means "no change" to the kernel. */
  static final long MAX_ID = 0xFFFF_FFFEL;

  /** Characters the supervisor's spec format and /etc/passwd lookups can carry. */
  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.@-]*\\$?");
  private static final int USER_NAME_MAX_CHARS = 256;
  private static final String ROOT = "0";

  private IdentityPlanner() {}

  /**
   * Plans the identity.
   *
   * @param imageUser the image's configured user ({@code app.user} of rkt's manifest), a name
   *     or number, or null or empty for root
   * @param imageGroup the image's configured group ({@code app.group}), or null or empty
   * @throws io.rktlet.errors.CriException INVALID_ARGUMENT for negative or too large IDs, a
   *     user given twice, a group without a user, or a user name the supervisor cannot carry
   */
  static IdentityPlan plan(LinuxContainerSecurityContext context, String imageUser,
      String imageGroup, String prefix) {
    boolean hasUser = context.hasRunAsUser() || !context.getRunAsUsername().isEmpty();
    if (context.hasRunAsUser() && !context.getRunAsUsername().isEmpty()) {
      throw Check.invalid(prefix + ".run_as_username", context.getRunAsUsername(),
          "run_as_user and run_as_username are exclusive");
    }
    if (context.hasRunAsGroup() && !hasUser) {
      throw Check.invalid(prefix + ".run_as_group", context.getRunAsGroup().getValue(),
          "requires run_as_user or run_as_username");
    }
    String user;
    String group = null;
    if (context.hasRunAsUser()) {
      user = Long.toString(id(context.getRunAsUser().getValue(), prefix + ".run_as_user"));
    } else if (!context.getRunAsUsername().isEmpty()) {
      user = userName(context.getRunAsUsername(), prefix + ".run_as_username");
    } else {
      user = isEmpty(imageUser) ? ROOT : userName(imageUser, "image user");
      group = isEmpty(imageGroup) ? null : userName(imageGroup, "image group");
    }
    if (context.hasRunAsGroup()) {
      group = Long.toString(id(context.getRunAsGroup().getValue(), prefix + ".run_as_group"));
    }
    List<Long> groups = context.getSupplementalGroupsList();
    for (int i = 0; i < groups.size(); i++) {
      id(groups.get(i), prefix + ".supplemental_groups[" + i + "]");
    }
    return new IdentityPlan(user, group, groups, policy(context, prefix));
  }

  private static IdentityPlan.GroupsPolicy policy(LinuxContainerSecurityContext context,
      String prefix) {
    SupplementalGroupsPolicy policy = context.getSupplementalGroupsPolicy();
    switch (policy) {
      case Merge:
        return IdentityPlan.GroupsPolicy.MERGE;
      case Strict:
        return IdentityPlan.GroupsPolicy.STRICT;
      default:
        throw Check.invalid(prefix + ".supplemental_groups_policy",
            context.getSupplementalGroupsPolicyValue(), "expected Merge or Strict");
    }
  }

  private static long id(long value, String field) {
    if (value < 0 || value > MAX_ID) {
      throw Check.invalid(field, value, "not a valid ID (0 to " + MAX_ID + ")");
    }
    return value;
  }

  private static String userName(String name, String field) {
    if (name.length() > USER_NAME_MAX_CHARS || !USER_NAME.matcher(name).matches()) {
      throw Check.invalid(field, name, "not a valid user or group name: use letters, digits,"
          + " '.', '_', '@' and '-', not starting with '-'");
    }
    return name;
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }
}
