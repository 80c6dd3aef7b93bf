package io.rktlet.security;

import io.rktlet.validation.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks the sysctls of a RunPodSandbox request ({@code config.linux.sysctls}). Only
 * parameters the kernel keeps per network or IPC namespace can be set for one pod; the list is
 * Kubernetes' (k8s.io/component-helpers/node/util/sysctl/namespace.go): {@code kernel.sem},
 * {@code kernel.shm*}, {@code kernel.msg*} and {@code fs.mqueue.*} for IPC, and {@code net.*}
 * for the network, except the host-wide entries in {@link #HOST_WIDE_NET}. A pod on the host's
 * network cannot set {@code net.*} at all, since that would change the host.
 */
public final class SysctlPolicy {
  /**
   * {@code net.*} parameters that exist only in the host's initial network namespace, so a pod
   * cannot have its own value: Linux registers them for init_net alone (net_core_table in
   * net/core/sysctl_net_core.c; tcp_mem and udp_mem in net/ipv4/sysctl_net_ipv4.c's global
   * table). NOTE: kernels move entries between the tables; rktlet also fails when the file is
   * missing in the pod's namespace at apply time.
   */
  public static final Set<String> HOST_WIDE_NET = Set.of(
      "net.core.rmem_default", "net.core.rmem_max", "net.core.wmem_default",
      "net.core.wmem_max", "net.core.netdev_max_backlog", "net.core.netdev_budget",
      "net.core.netdev_budget_usecs", "net.core.netdev_rss_key",
      "net.core.netdev_tstamp_prequeue", "net.core.dev_weight", "net.core.dev_weight_rx_bias",
      "net.core.dev_weight_tx_bias", "net.core.bpf_jit_enable", "net.core.bpf_jit_harden",
      "net.core.bpf_jit_kallsyms", "net.core.bpf_jit_limit", "net.core.message_cost",
      "net.core.message_burst", "net.core.busy_poll", "net.core.busy_read",
      "net.core.default_qdisc", "net.core.max_skb_frags", "net.core.rps_sock_flow_entries",
      "net.core.flow_limit_cpu_bitmap", "net.core.flow_limit_table_len", "net.core.warnings",
      "net.ipv4.tcp_mem", "net.ipv4.udp_mem");

  /** Segments as Kubernetes validates them, joined by dots or slashes. */
  private static final Pattern NAME = Pattern.compile(
      "([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?");
  private static final int NAME_MAX_CHARS = 253;
  private static final int VALUE_MAX_CHARS = 4096;

  private SysctlPolicy() {}

  /**
   * Returns the sysctls in name order, names normalized to dotted notation.
   *
   * @param hostNetwork whether the pod uses the host's network namespace
   * @param field request path of the map, such as {@code config.linux.sysctls}
   * @throws io.rktlet.errors.CriException INVALID_ARGUMENT for a malformed name or value, a
   *     parameter that is not namespaced, or a {@code net.*} parameter with the host's network
   */
  public static SysctlPlan plan(Map<String, String> sysctls, boolean hostNetwork,
      String field) {
    List<Sysctl> planned = new ArrayList<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(sysctls).entrySet()) {
      String rawName = entry.getKey();
      String entryField = field + "[" + Check.quote(rawName) + "]";
      if (rawName.length() > NAME_MAX_CHARS || !NAME.matcher(rawName).matches()) {
        throw Check.invalid(field, rawName, "not a sysctl name such as net.ipv4.ip_forward");
      }
      String name = normalize(rawName);
      Sysctl.Namespace namespace = namespaceOf(name);
      if (namespace == null) {
        throw Check.invalid(field, rawName, "not a namespaced sysctl, so setting it would "
            + "change the whole host; allowed are net.*, kernel.sem, kernel.shm*, kernel.msg* "
            + "and fs.mqueue.*");
      }
      if (namespace == Sysctl.Namespace.NET && HOST_WIDE_NET.contains(name)) {
        throw Check.invalid(field, rawName,
            "exists only in the host's network namespace, so a pod cannot have its own value");
      }
      if (namespace == Sysctl.Namespace.NET && hostNetwork) {
        throw Check.invalid(field, rawName, "the pod uses the host's network namespace "
            + "(namespace_options.network NODE), so setting it would change the host");
      }
      planned.add(new Sysctl(name, value(entry.getValue(), entryField), namespace));
    }
    return new SysctlPlan(planned);
  }

  /**
   * Converts a slash-separated name to dotted notation, as the kubelet does: when the first
   * separator is {@code /}, slashes and dots swap ({@code net/ipv4/conf/eth0.100/rp_filter}
   * becomes {@code net.ipv4.conf.eth0/100.rp_filter}).
   */
  static String normalize(String name) {
    int dot = name.indexOf('.');
    int slash = name.indexOf('/');
    if (slash < 0 || (dot >= 0 && dot < slash)) {
      return name;
    }
    return Sysctl.swapDotsAndSlashes(name);
  }

  private static Sysctl.Namespace namespaceOf(String name) {
    if (name.equals("kernel.sem") || name.startsWith("kernel.shm")
        || name.startsWith("kernel.msg") || name.startsWith("fs.mqueue.")) {
      return Sysctl.Namespace.IPC;
    }
    if (name.startsWith("net.")) {
      return Sysctl.Namespace.NET;
    }
    return null;
  }

  private static String value(String value, String field) {
    if (value.isEmpty() || value.length() > VALUE_MAX_CHARS) {
      throw Check.invalid(field, value, "must have 1 to " + VALUE_MAX_CHARS + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\t' && Character.isISOControl(c)) {
        throw Check.invalid(field, value, "contains a control character at index " + i);
      }
    }
    return value;
  }
}
