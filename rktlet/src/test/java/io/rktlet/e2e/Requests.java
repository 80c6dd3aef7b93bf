package io.rktlet.e2e;

import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.ContainerMetadata;
import io.rktlet.cri.v1.CreateContainerRequest;
import io.rktlet.cri.v1.DNSConfig;
import io.rktlet.cri.v1.ImageSpec;
import io.rktlet.cri.v1.KeyValue;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.PodSandboxMetadata;
import io.rktlet.cri.v1.PullImageRequest;
import io.rktlet.cri.v1.RunPodSandboxRequest;
import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;

/** Builders for the CRI requests the end-to-end tests send, shaped like the kubelet's. */
final class Requests {
  private Requests() {}

  static PodSandboxConfig pod(String name, Path logDirectory) {
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("default")
            .setUid("uid-" + name).setAttempt(0))
        .setHostname(name)
        .setLogDirectory(logDirectory.toString())
        .setDnsConfig(DNSConfig.newBuilder().addServers("10.96.0.10")
            .addSearches("default.svc.cluster.local").addOptions("ndots:5"))
        .putLabels("app", name)
        .putAnnotations("example.com/note", "kept as is")
        .build();
  }

  static RunPodSandboxRequest runPod(PodSandboxConfig config) {
    return RunPodSandboxRequest.newBuilder().setConfig(config).build();
  }

  static PullImageRequest pull(String image) {
    return PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build();
  }

  static ContainerConfig container(String name, String image, List<String> command) {
    return ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name).setAttempt(0))
        .setImage(ImageSpec.newBuilder().setImage(image))
        .addAllCommand(command)
        .addEnvs(KeyValue.newBuilder().setKey("GREETING")
            .setValue(ByteString.copyFromUtf8("hello")))
        .setLogPath(name + "/0.log")
        .putLabels("container", name)
        .putAnnotations("example.com/container-note", "kept as is")
        .build();
  }

  static CreateContainerRequest create(String sandboxId, ContainerConfig config,
      PodSandboxConfig pod) {
    return CreateContainerRequest.newBuilder().setPodSandboxId(sandboxId).setConfig(config)
        .setSandboxConfig(pod).build();
  }
}
