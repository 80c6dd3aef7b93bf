package io.rktlet.sandbox;

import io.rktlet.cri.v1.DNSConfig;
import io.rktlet.cri.v1.NamespaceMode;
import io.rktlet.cri.v1.NamespaceOption;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.PodSandboxMetadata;
import io.rktlet.cri.v1.PortMapping;
import io.rktlet.cri.v1.Protocol;
import io.rktlet.cri.v1.RunPodSandboxRequest;
import io.rktlet.errors.CriException;
import io.rktlet.validation.Check;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a RunPodSandbox request before anything is recorded or launched. */
final class SandboxValidator {
  private static final Pattern HOSTNAME =
      Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]*"
          + "[a-zA-Z0-9])?)*");
  private static final Pattern DNS_SEARCH = Pattern.compile("[a-zA-Z0-9._-]+");
  private static final Pattern DNS_OPTION = Pattern.compile("[a-zA-Z0-9._:-]+");

  private SandboxValidator() {}

  static void validate(RunPodSandboxRequest request, Set<String> handlers) {
    if (!request.hasConfig()) {
      throw CriException.invalidArgument("config must be set");
    }
    if (!handlers.contains(request.getRuntimeHandler())) {
      throw Check.invalid("runtime_handler", request.getRuntimeHandler(),
          "no stage1 image is configured for this handler; configured handlers: "
              + handlers.stream().map(Check::quote).sorted().toList());
    }
    PodSandboxConfig config = request.getConfig();
    metadata(config.getMetadata());
    if (!config.getHostname().isEmpty()) {
      Check.text("config.hostname", config.getHostname(), 64);
      if (!HOSTNAME.matcher(config.getHostname()).matches()) {
        throw Check.invalid("config.hostname", config.getHostname(), "not a valid host name");
      }
    }
    if (!config.getLogDirectory().isEmpty()) {
      Check.absolutePath("config.log_directory", config.getLogDirectory());
      for (Path part : Path.of(config.getLogDirectory())) {
        if (part.toString().equals("..")) {
          // rktlet creates this directory as root; ".." could place it anywhere.
          throw Check.invalid("config.log_directory", config.getLogDirectory(),
              "must not contain \"..\"");
        }
      }
    }
    dns(config.getDnsConfig());
    for (int i = 0; i < config.getPortMappingsCount(); i++) {
      port("config.port_mappings[" + i + "]", config.getPortMappings(i));
    }
    namespaces(config.getLinux().getSecurityContext().getNamespaceOptions());
    Check.text("config.linux.cgroup_parent", config.getLinux().getCgroupParent(), 4096);
  }

  private static void metadata(PodSandboxMetadata metadata) {
    Check.required("config.metadata.name", metadata.getName());
    Check.text("config.metadata.name", metadata.getName(), 253);
    Check.text("config.metadata.namespace", metadata.getNamespace(), 253);
    Check.text("config.metadata.uid", metadata.getUid(), 253);
  }

  private static void dns(DNSConfig dns) {
    for (int i = 0; i < dns.getServersCount(); i++) {
      Check.ipLiteral("config.dns_config.servers[" + i + "]", dns.getServers(i));
    }
    for (int i = 0; i < dns.getSearchesCount(); i++) {
      String field = "config.dns_config.searches[" + i + "]";
      Check.text(field, dns.getSearches(i), 253);
      if (!DNS_SEARCH.matcher(dns.getSearches(i)).matches()) {
        throw Check.invalid(field, dns.getSearches(i), "not a DNS domain");
      }
    }
    for (int i = 0; i < dns.getOptionsCount(); i++) {
      String field = "config.dns_config.options[" + i + "]";
      Check.text(field, dns.getOptions(i), 253);
      if (!DNS_OPTION.matcher(dns.getOptions(i)).matches()) {
        throw Check.invalid(field, dns.getOptions(i), "not a resolv.conf option");
      }
    }
  }

  private static void port(String field, PortMapping port) {
    if (port.getProtocol() != Protocol.TCP && port.getProtocol() != Protocol.UDP) {
      throw Check.invalid(field + ".protocol", port.getProtocol(),
          "rkt publishes only TCP and UDP ports");
    }
    if (port.getContainerPort() < 1 || port.getContainerPort() > 65535) {
      throw Check.invalid(field + ".container_port", port.getContainerPort(),
          "not in 1-65535");
    }
    if (port.getHostPort() < 0 || port.getHostPort() > 65535) {
      throw Check.invalid(field + ".host_port", port.getHostPort(), "not in 0-65535");
    }
    if (!port.getHostIp().isEmpty()) {
      Check.ipLiteral(field + ".host_ip", port.getHostIp());
    }
  }

  private static void namespaces(NamespaceOption options) {
    String prefix = "config.linux.security_context.namespace_options.";
    if (options.getNetwork() != NamespaceMode.POD && options.getNetwork() != NamespaceMode.NODE) {
      throw Check.invalid(prefix + "network", options.getNetwork(),
          "a pod's network namespace is either its own (POD) or the host's (NODE)");
    }
    if (options.getPid() == NamespaceMode.NODE || options.getPid() == NamespaceMode.TARGET) {
      throw Check.invalid(prefix + "pid", options.getPid(),
          "rkt app sandbox cannot share the host's or another container's PID namespace");
    }
    if (options.getIpc() != NamespaceMode.POD) {
      throw Check.invalid(prefix + "ipc", options.getIpc(),
          "rkt app sandbox gives every pod its own IPC namespace");
    }
    if (options.hasUsernsOptions() && options.getUsernsOptions().getMode() != NamespaceMode.NODE
        && options.getUsernsOptions().getUidsCount() > 0) {
      throw Check.invalid(prefix + "userns_options.mode", options.getUsernsOptions().getMode(),
          "rkt app sandbox does not support user namespaces");
    }
  }
}
