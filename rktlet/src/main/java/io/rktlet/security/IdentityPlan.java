package io.rktlet.security;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The user and groups the supervisor switches the container's processes to. rkt itself starts
 * the supervisor as root ({@code --user=0 --group=0}), so numeric IDs also avoid rkt's lookup
 * of the image's user, which fails for names missing from the image's /etc/passwd.
 *
 * @param user a numeric UID or a user name that the supervisor looks up in the image's
 *     /etc/passwd (a missing name is an error there)
 * @param group a numeric GID, or null for the user's primary group from the image's
 *     /etc/passwd (0 when the user has no entry there)
 * @param supplementalGroups the CRI's supplemental_groups, in request order
 * @param policy how the supervisor combines them with the image's /etc/group
 */
public record IdentityPlan(
    String user, String group, List<Long> supplementalGroups, GroupsPolicy policy) {

  /** The CRI's SupplementalGroupsPolicy. */
  public enum GroupsPolicy {
    /** The groups the user belongs to in the image's /etc/group, plus the requested ones. */
    MERGE,
    /** Only the primary group and the requested ones. */
    STRICT
  }

  public IdentityPlan {
    supplementalGroups = List.copyOf(supplementalGroups);
  }

  /** Returns the supervisor's {@code groups=} value: GIDs joined by commas, possibly empty. */
  public String supervisorGroups() {
    return supplementalGroups.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** Returns the supervisor's {@code groups_policy=} value, {@code merge} or {@code strict}. */
  public String supervisorGroupsPolicy() {
    return policy == GroupsPolicy.MERGE ? "merge" : "strict";
  }
}
