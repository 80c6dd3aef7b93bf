package io.rktlet.runtime;

import io.rktlet.config.CgroupDriver;
import io.rktlet.config.RktletConfig;
import io.rktlet.cri.v1.LinuxRuntimeConfiguration;
import io.rktlet.cri.v1.RuntimeCondition;
import io.rktlet.cri.v1.RuntimeConfigResponse;
import io.rktlet.cri.v1.RuntimeFeatures;
import io.rktlet.cri.v1.RuntimeHandler;
import io.rktlet.cri.v1.RuntimeHandlerFeatures;
import io.rktlet.cri.v1.RuntimeStatus;
import io.rktlet.cri.v1.StatusRequest;
import io.rktlet.cri.v1.StatusResponse;
import io.rktlet.cri.v1.UpdateRuntimeConfigRequest;
import io.rktlet.cri.v1.VersionRequest;
import io.rktlet.cri.v1.VersionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Owns Version, Status, RuntimeConfig and UpdateRuntimeConfig. */
public final class RuntimeInfo {
  private static final Logger log = LoggerFactory.getLogger(RuntimeInfo.class);

  /** The CRI API version string that CRI runtimes report in VersionResponse.version. */
  private static final String KUBELET_API_VERSION = "0.1.0";

  private final RktletConfig config;
  private final RktHealth health;
  private final NetworkCheck network;
  private volatile String podCidr = "";

  public RuntimeInfo(RktletConfig config, RktHealth health, NetworkCheck network) {
    this.config = config;
    this.health = health;
    this.network = network;
  }

  public VersionResponse version(VersionRequest request) {
    return VersionResponse.newBuilder()
        .setVersion(KUBELET_API_VERSION)
        .setRuntimeName("rkt")
        .setRuntimeVersion(health.current().version())
        .setRuntimeApiVersion("v1")
        .build();
  }

  public StatusResponse status(StatusRequest request) {
    RktHealth.Snapshot rkt = health.current();
    NetworkCheck.Result net = network.current();
    StatusResponse.Builder response = StatusResponse.newBuilder()
        .setStatus(RuntimeStatus.newBuilder()
            .addConditions(condition("RuntimeReady", rkt.ready(), rkt.reason(), rkt.message()))
            .addConditions(condition("NetworkReady", net.ready(), net.reason(), net.message())))
        .setFeatures(RuntimeFeatures.newBuilder().setSupplementalGroupsPolicy(false));
    for (String handler : config.rkt().stage1ByHandler().keySet()) {
      response.addRuntimeHandlers(RuntimeHandler.newBuilder()
          .setName(handler)
          .setFeatures(RuntimeHandlerFeatures.newBuilder()
              .setRecursiveReadOnlyMounts(false)
              .setUserNamespaces(false)));
    }
    if (request.getVerbose()) {
      response.putInfo("config", StatusInfo.json(config, podCidr));
    }
    return response.build();
  }

  public RuntimeConfigResponse runtimeConfig() {
    io.rktlet.cri.v1.CgroupDriver driver = config.host().cgroupDriver() == CgroupDriver.SYSTEMD
        ? io.rktlet.cri.v1.CgroupDriver.SYSTEMD : io.rktlet.cri.v1.CgroupDriver.CGROUPFS;
    return RuntimeConfigResponse.newBuilder()
        .setLinux(LinuxRuntimeConfiguration.newBuilder().setCgroupDriver(driver))
        .build();
  }

  /**
   * Records the pod CIDR the kubelet sends. rkt's CNI networks carry their own address ranges,
   * so the CIDR is only logged and reported in verbose Status.
   */
  public void updateRuntimeConfig(UpdateRuntimeConfigRequest request) {
    String cidr = request.getRuntimeConfig().getNetworkConfig().getPodCidr();
    if (!cidr.equals(podCidr)) {
      log.info("Pod CIDR is now \"{}\" (was \"{}\"); rkt's network configuration decides pod "
          + "addresses", cidr, podCidr);
      podCidr = cidr;
    }
  }

  private static RuntimeCondition condition(String type, boolean status, String reason,
      String message) {
    return RuntimeCondition.newBuilder()
        .setType(type)
        .setStatus(status)
        .setReason(reason)
        .setMessage(message)
        .build();
  }
}
