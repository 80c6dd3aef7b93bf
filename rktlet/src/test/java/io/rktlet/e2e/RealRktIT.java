package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.ContainerState;
import io.rktlet.cri.v1.ContainerStatusRequest;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.RemovePodSandboxRequest;
import io.rktlet.cri.v1.StartContainerRequest;
import io.rktlet.cri.v1.StopContainerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pod and container lifecycle against a real rkt 1.30.0. Runs only when the environment
 * names the binary: {@code RKTLET_REAL_RKT=/usr/bin/rkt}; optional {@code RKTLET_REAL_STAGE1}
 * (a stage1 image in rktlet's notation, such as {@code path:/usr/lib/rkt/stage1-host.aci}) and
 * {@code RKTLET_REAL_IMAGE} (default {@code docker.io/library/busybox:latest}, which needs
 * access to the registry).
 */
class RealRktIT {
  @TempDir
  Path dir;

  private String rkt;

  @BeforeEach
  void requireRealRkt() {
    rkt = System.getenv("RKTLET_REAL_RKT");
    Assumptions.assumeTrue(rkt != null && Files.isExecutable(Path.of(rkt)),
        "set RKTLET_REAL_RKT to a rkt 1.30.0 binary to run the tests against the real rkt");
  }

  @Test
  void podAndContainerLifecycle() throws Exception {
    List<String> args = new ArrayList<>(List.of("--rkt=" + rkt));
    String stage1 = System.getenv("RKTLET_REAL_STAGE1");
    if (stage1 != null) {
      args.add("--stage1=" + stage1);
    }
    String image = System.getenv().getOrDefault("RKTLET_REAL_IMAGE",
        "docker.io/library/busybox:latest");
    try (RktletProcess rktlet = new RktletProcess("RealRktIT", dir, args, Map.of()).start();
        CriClient cri = new CriClient(rktlet.socket())) {
      cri.images().pullImage(Requests.pull(image));
      PodSandboxConfig pod = Requests.pod("real", dir.resolve("logs/real"));
      String podId = cri.runtime().runPodSandbox(Requests.runPod(pod)).getPodSandboxId();
      String id = cri.runtime().createContainer(Requests.create(podId,
          Requests.container("app", image, List.of("/bin/sleep", "300")), pod))
          .getContainerId();
      cri.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id)
          .build());
      assertThat(cri.runtime().containerStatus(ContainerStatusRequest.newBuilder()
          .setContainerId(id).build()).getStatus().getState())
          .isEqualTo(ContainerState.CONTAINER_RUNNING);
      cri.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(id)
          .setTimeout(5).build());
      cri.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder()
          .setPodSandboxId(podId).build());
    }
  }
}
