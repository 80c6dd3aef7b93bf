package io.rktlet.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.rktlet.cri.v1.ContainerEventResponse;
import io.rktlet.cri.v1.GetEventsRequest;
import io.rktlet.cri.v1.AttachRequest;
import io.rktlet.cri.v1.AttachResponse;
import io.rktlet.cri.v1.ExecRequest;
import io.rktlet.cri.v1.ExecResponse;
import io.rktlet.cri.v1.ExecSyncRequest;
import io.rktlet.cri.v1.ExecSyncResponse;
import io.rktlet.cri.v1.PortForwardRequest;
import io.rktlet.cri.v1.PortForwardResponse;
import io.rktlet.cri.v1.ContainerStatsRequest;
import io.rktlet.cri.v1.ContainerStatsResponse;
import io.rktlet.cri.v1.ListContainerStatsRequest;
import io.rktlet.cri.v1.ListContainerStatsResponse;
import io.rktlet.cri.v1.ListPodSandboxStatsRequest;
import io.rktlet.cri.v1.ListPodSandboxStatsResponse;
import io.rktlet.cri.v1.PodSandboxStatsRequest;
import io.rktlet.cri.v1.PodSandboxStatsResponse;
import io.rktlet.cri.v1.StreamContainerStatsRequest;
import io.rktlet.cri.v1.StreamContainerStatsResponse;
import io.rktlet.cri.v1.StreamPodSandboxStatsRequest;
import io.rktlet.cri.v1.StreamPodSandboxStatsResponse;
import io.rktlet.container.ResourceUpdates;
import io.rktlet.cri.v1.UpdateContainerResourcesRequest;
import io.rktlet.cri.v1.UpdateContainerResourcesResponse;
import io.rktlet.cri.v1.UpdatePodSandboxResourcesRequest;
import io.rktlet.cri.v1.UpdatePodSandboxResourcesResponse;
import io.rktlet.events.EventBus;
import io.rktlet.stats.StatsService;
import io.rktlet.exec.ExecService;
import io.rktlet.streaming.StreamingServer;
import io.rktlet.container.ContainerManager;
import io.rktlet.cri.v1.ContainerStatusRequest;
import io.rktlet.cri.v1.ContainerStatusResponse;
import io.rktlet.cri.v1.CreateContainerRequest;
import io.rktlet.cri.v1.CreateContainerResponse;
import io.rktlet.cri.v1.ListContainersRequest;
import io.rktlet.cri.v1.ListContainersResponse;
import io.rktlet.cri.v1.ListPodSandboxRequest;
import io.rktlet.cri.v1.ListPodSandboxResponse;
import io.rktlet.cri.v1.PodSandboxStatusRequest;
import io.rktlet.cri.v1.PodSandboxStatusResponse;
import io.rktlet.cri.v1.RemoveContainerRequest;
import io.rktlet.cri.v1.RemoveContainerResponse;
import io.rktlet.cri.v1.RemovePodSandboxRequest;
import io.rktlet.cri.v1.ReopenContainerLogRequest;
import io.rktlet.cri.v1.ReopenContainerLogResponse;
import io.rktlet.cri.v1.RemovePodSandboxResponse;
import io.rktlet.cri.v1.RunPodSandboxRequest;
import io.rktlet.cri.v1.RunPodSandboxResponse;
import io.rktlet.cri.v1.RuntimeConfigRequest;
import io.rktlet.cri.v1.RuntimeConfigResponse;
import io.rktlet.cri.v1.RuntimeServiceGrpc;
import io.rktlet.cri.v1.StartContainerRequest;
import io.rktlet.cri.v1.StartContainerResponse;
import io.rktlet.cri.v1.StatusRequest;
import io.rktlet.cri.v1.StatusResponse;
import io.rktlet.cri.v1.StopContainerRequest;
import io.rktlet.cri.v1.StopContainerResponse;
import io.rktlet.cri.v1.StopPodSandboxRequest;
import io.rktlet.cri.v1.StopPodSandboxResponse;
import io.rktlet.cri.v1.StreamContainersRequest;
import io.rktlet.cri.v1.StreamContainersResponse;
import io.rktlet.cri.v1.StreamPodSandboxesRequest;
import io.rktlet.cri.v1.StreamPodSandboxesResponse;
import io.rktlet.cri.v1.UpdateRuntimeConfigRequest;
import io.rktlet.cri.v1.UpdateRuntimeConfigResponse;
import io.rktlet.cri.v1.VersionRequest;
import io.rktlet.cri.v1.VersionResponse;
import io.rktlet.runtime.RuntimeInfo;
import io.rktlet.sandbox.SandboxManager;
import io.rktlet.validation.Check;

/**
 * The CRI RuntimeService: each call delegates to the method of the same name on the component
 * that owns it. Calls not overridden here return UNIMPLEMENTED with the call's name.
 */
public final class RuntimeServiceImpl extends RuntimeServiceGrpc.RuntimeServiceImplBase {
  private final RuntimeInfo runtime;
  private final SandboxManager sandboxes;
  private final ContainerManager containers;
  private final ExecService exec;
  private final StreamingServer streaming;
  private final StatsService stats;
  private final ResourceUpdates resources;
  private final EventBus events;

  public RuntimeServiceImpl(RuntimeInfo runtime, SandboxManager sandboxes,
      ContainerManager containers, ExecService exec, StreamingServer streaming,
      StatsService stats, ResourceUpdates resources, EventBus events) {
    this.resources = resources;
    this.runtime = runtime;
    this.sandboxes = sandboxes;
    this.containers = containers;
    this.exec = exec;
    this.streaming = streaming;
    this.stats = stats;
    this.events = events;
  }

  @Override
  public void updateContainerResources(UpdateContainerResourcesRequest request,
      StreamObserver<UpdateContainerResourcesResponse> reply) {
    Check.required("container_id", request.getContainerId());
    resources.updateContainerResources(request);
    Replies.unary(reply, UpdateContainerResourcesResponse.getDefaultInstance());
  }

  @Override
  public void updatePodSandboxResources(UpdatePodSandboxResourcesRequest request,
      StreamObserver<UpdatePodSandboxResourcesResponse> reply) {
    Check.required("pod_sandbox_id", request.getPodSandboxId());
    resources.updatePodSandboxResources(request);
    Replies.unary(reply, UpdatePodSandboxResourcesResponse.getDefaultInstance());
  }

  @Override
  public void containerStats(ContainerStatsRequest request,
      StreamObserver<ContainerStatsResponse> reply) {
    Check.required("container_id", request.getContainerId());
    Replies.unary(reply, stats.containerStats(request));
  }

  @Override
  public void listContainerStats(ListContainerStatsRequest request,
      StreamObserver<ListContainerStatsResponse> reply) {
    Replies.unary(reply, stats.listContainerStats(request));
  }

  @Override
  public void streamContainerStats(StreamContainerStatsRequest request,
      StreamObserver<StreamContainerStatsResponse> reply) {
    ListContainerStatsResponse all = stats.listContainerStats(
        ListContainerStatsRequest.newBuilder().setFilter(request.getFilter()).build());
    Replies.batches(reply, all.getStatsList(),
        batch -> StreamContainerStatsResponse.newBuilder().addAllContainerStats(batch).build());
  }

  @Override
  public void podSandboxStats(PodSandboxStatsRequest request,
      StreamObserver<PodSandboxStatsResponse> reply) {
    Check.required("pod_sandbox_id", request.getPodSandboxId());
    Replies.unary(reply, stats.podSandboxStats(request));
  }

  @Override
  public void listPodSandboxStats(ListPodSandboxStatsRequest request,
      StreamObserver<ListPodSandboxStatsResponse> reply) {
    Replies.unary(reply, stats.listPodSandboxStats(request));
  }

  @Override
  public void streamPodSandboxStats(StreamPodSandboxStatsRequest request,
      StreamObserver<StreamPodSandboxStatsResponse> reply) {
    ListPodSandboxStatsResponse all = stats.listPodSandboxStats(
        ListPodSandboxStatsRequest.newBuilder().setFilter(request.getFilter()).build());
    Replies.batches(reply, all.getStatsList(),
        batch -> StreamPodSandboxStatsResponse.newBuilder().addAllPodSandboxStats(batch)
            .build());
  }

  @Override
  public void execSync(ExecSyncRequest request, StreamObserver<ExecSyncResponse> reply) {
    Check.required("container_id", request.getContainerId());
    Replies.unary(reply, exec.execSync(request));
  }

  @Override
  public void exec(ExecRequest request, StreamObserver<ExecResponse> reply) {
    Check.required("container_id", request.getContainerId());
    Replies.unary(reply, streaming.exec(request));
  }

  @Override
  public void attach(AttachRequest request, StreamObserver<AttachResponse> reply) {
    Check.required("container_id", request.getContainerId());
    Replies.unary(reply, streaming.attach(request));
  }

  @Override
  public void portForward(PortForwardRequest request,
      StreamObserver<PortForwardResponse> reply) {
    Check.required("pod_sandbox_id", request.getPodSandboxId());
    Replies.unary(reply, streaming.portForward(request));
  }

  @Override
  public void getContainerEvents(GetEventsRequest request,
      StreamObserver<ContainerEventResponse> reply) {
    events.subscribe((ServerCallStreamObserver<ContainerEventResponse>) reply);
  }

  @Override
  public void version(VersionRequest request, StreamObserver<VersionResponse> reply) {
    Replies.unary(reply, runtime.version(request));
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> reply) {
    Replies.unary(reply, runtime.status(request));
  }

  @Override
  public void runtimeConfig(RuntimeConfigRequest request,
      StreamObserver<RuntimeConfigResponse> reply) {
    Replies.unary(reply, runtime.runtimeConfig());
  }

  @Override
  public void updateRuntimeConfig(UpdateRuntimeConfigRequest request,
      StreamObserver<UpdateRuntimeConfigResponse> reply) {
    runtime.updateRuntimeConfig(request);
    Replies.unary(reply, UpdateRuntimeConfigResponse.getDefaultInstance());
  }

  @Override
  public void runPodSandbox(RunPodSandboxRequest request,
      StreamObserver<RunPodSandboxResponse> reply) {
    Replies.unary(reply, sandboxes.runPodSandbox(request));
  }

  @Override
  public void stopPodSandbox(StopPodSandboxRequest request,
      StreamObserver<StopPodSandboxResponse> reply) {
    Check.required("pod_sandbox_id", request.getPodSandboxId());
    sandboxes.stopPodSandbox(request);
    Replies.unary(reply, StopPodSandboxResponse.getDefaultInstance());
  }

  @Override
  public void removePodSandbox(RemovePodSandboxRequest request,
      StreamObserver<RemovePodSandboxResponse> reply) {
    Check.required("pod_sandbox_id", request.getPodSandboxId());
    sandboxes.removePodSandbox(request);
    Replies.unary(reply, RemovePodSandboxResponse.getDefaultInstance());
  }

  @Override
  public void podSandboxStatus(PodSandboxStatusRequest request,
      StreamObserver<PodSandboxStatusResponse> reply) {
    Check.required("pod_sandbox_id", request.getPodSandboxId());
    Replies.unary(reply, sandboxes.podSandboxStatus(request));
  }

  @Override
  public void listPodSandbox(ListPodSandboxRequest request,
      StreamObserver<ListPodSandboxResponse> reply) {
    Replies.unary(reply, sandboxes.listPodSandbox(request));
  }

  @Override
  public void streamPodSandboxes(StreamPodSandboxesRequest request,
      StreamObserver<StreamPodSandboxesResponse> reply) {
    ListPodSandboxResponse all = sandboxes.listPodSandbox(
        ListPodSandboxRequest.newBuilder().setFilter(request.getFilter()).build());
    Replies.batches(reply, all.getItemsList(),
        batch -> StreamPodSandboxesResponse.newBuilder().addAllPodSandboxes(batch).build());
  }

  @Override
  public void createContainer(CreateContainerRequest request,
      StreamObserver<CreateContainerResponse> reply) {
    Replies.unary(reply, containers.createContainer(request));
  }

  @Override
  public void startContainer(StartContainerRequest request,
      StreamObserver<StartContainerResponse> reply) {
    Check.required("container_id", request.getContainerId());
    containers.startContainer(request);
    Replies.unary(reply, StartContainerResponse.getDefaultInstance());
  }

  @Override
  public void stopContainer(StopContainerRequest request,
      StreamObserver<StopContainerResponse> reply) {
    Check.required("container_id", request.getContainerId());
    containers.stopContainer(request);
    Replies.unary(reply, StopContainerResponse.getDefaultInstance());
  }

  @Override
  public void removeContainer(RemoveContainerRequest request,
      StreamObserver<RemoveContainerResponse> reply) {
    Check.required("container_id", request.getContainerId());
    containers.removeContainer(request);
    Replies.unary(reply, RemoveContainerResponse.getDefaultInstance());
  }

  @Override
  public void reopenContainerLog(ReopenContainerLogRequest request,
      StreamObserver<ReopenContainerLogResponse> reply) {
    Check.required("container_id", request.getContainerId());
    containers.reopenContainerLog(request);
    Replies.unary(reply, ReopenContainerLogResponse.getDefaultInstance());
  }

  @Override
  public void containerStatus(ContainerStatusRequest request,
      StreamObserver<ContainerStatusResponse> reply) {
    Check.required("container_id", request.getContainerId());
    Replies.unary(reply, containers.containerStatus(request));
  }

  @Override
  public void listContainers(ListContainersRequest request,
      StreamObserver<ListContainersResponse> reply) {
    Replies.unary(reply, containers.listContainers(request));
  }

  @Override
  public void streamContainers(StreamContainersRequest request,
      StreamObserver<StreamContainersResponse> reply) {
    ListContainersResponse all = containers.listContainers(
        ListContainersRequest.newBuilder().setFilter(request.getFilter()).build());
    Replies.batches(reply, all.getContainersList(),
        batch -> StreamContainersResponse.newBuilder().addAllContainers(batch).build());
  }
}
