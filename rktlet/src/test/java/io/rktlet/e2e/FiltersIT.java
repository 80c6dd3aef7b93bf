package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.Container;
import io.rktlet.cri.v1.ContainerFilter;
import io.rktlet.cri.v1.ContainerState;
import io.rktlet.cri.v1.ContainerStateValue;
import io.rktlet.cri.v1.ListContainersRequest;
import io.rktlet.cri.v1.ListPodSandboxRequest;
import io.rktlet.cri.v1.PodSandbox;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.PodSandboxFilter;
import io.rktlet.cri.v1.PodSandboxState;
import io.rktlet.cri.v1.PodSandboxStateValue;
import io.rktlet.cri.v1.StopPodSandboxRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ListPodSandbox and ListContainers with every filter field. */
class FiltersIT extends RktletTestBase {

  @Test
  void sandboxFilters() {
    pull("busybox");
    PodSandboxConfig web = podConfig("web");
    PodSandboxConfig db = podConfig("db");
    String webId = runPod(web);
    String dbId = runPod(db);
    cri.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(dbId)
        .build());

    assertThat(listPods(PodSandboxFilter.getDefaultInstance())).hasSize(2);
    assertThat(listPods(PodSandboxFilter.newBuilder().setId(webId).build()))
        .extracting(PodSandbox::getId).containsExactly(webId);
    assertThat(listPods(PodSandboxFilter.newBuilder().setId(webId.substring(0, 8)).build()))
        .extracting(PodSandbox::getId).containsExactly(webId);
    assertThat(listPods(PodSandboxFilter.newBuilder().setState(PodSandboxStateValue
        .newBuilder().setState(PodSandboxState.SANDBOX_NOTREADY)).build()))
        .extracting(PodSandbox::getId).containsExactly(dbId);
    assertThat(listPods(PodSandboxFilter.newBuilder().setState(PodSandboxStateValue
        .newBuilder().setState(PodSandboxState.SANDBOX_READY)).build()))
        .extracting(PodSandbox::getId).containsExactly(webId);
    assertThat(listPods(PodSandboxFilter.newBuilder().putLabelSelector("app", "db").build()))
        .extracting(PodSandbox::getId).containsExactly(dbId);
    assertThat(listPods(PodSandboxFilter.newBuilder().putLabelSelector("app", "db")
        .putLabelSelector("tier", "x").build())).isEmpty();
  }

  @Test
  void containerFilters() {
    pull("busybox");
    PodSandboxConfig web = podConfig("web");
    PodSandboxConfig db = podConfig("db");
    String webId = runPod(web);
    String dbId = runPod(db);
    String running = startContainer(webId, web, "server", List.of("/bin/sleep", "300"));
    String created = createContainer(webId, web, "sidecar", List.of("/bin/sleep", "300"));
    String other = startContainer(dbId, db, "db", List.of("/bin/sleep", "300"));

    assertThat(listContainers(ContainerFilter.getDefaultInstance())).hasSize(3);
    assertThat(listContainers(ContainerFilter.newBuilder().setPodSandboxId(webId).build()))
        .extracting(Container::getId).containsExactlyInAnyOrder(running, created);
    assertThat(listContainers(ContainerFilter.newBuilder().setId(other).build()))
        .extracting(Container::getId).containsExactly(other);
    assertThat(listContainers(ContainerFilter.newBuilder().setState(ContainerStateValue
        .newBuilder().setState(ContainerState.CONTAINER_CREATED)).build()))
        .extracting(Container::getId).containsExactly(created);
    assertThat(listContainers(ContainerFilter.newBuilder().setState(ContainerStateValue
        .newBuilder().setState(ContainerState.CONTAINER_RUNNING)).setPodSandboxId(webId)
        .build()))
        .extracting(Container::getId).containsExactly(running);
    assertThat(listContainers(ContainerFilter.newBuilder()
        .putLabelSelector("container", "sidecar").build()))
        .extracting(Container::getId).containsExactly(created);
  }

  private List<PodSandbox> listPods(PodSandboxFilter filter) {
    return cri.runtime().listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(filter)
        .build()).getItemsList();
  }

  private List<Container> listContainers(ContainerFilter filter) {
    return cri.runtime().listContainers(ListContainersRequest.newBuilder().setFilter(filter)
        .build()).getContainersList();
  }
}
