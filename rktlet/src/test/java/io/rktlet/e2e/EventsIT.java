package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.rktlet.cri.v1.ContainerEventResponse;
import io.rktlet.cri.v1.ContainerEventType;
import io.rktlet.cri.v1.ContainerState;
import io.rktlet.cri.v1.GetEventsRequest;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.RemoveContainerRequest;
import io.rktlet.cri.v1.RemovePodSandboxRequest;
import io.rktlet.cri.v1.RuntimeServiceGrpc;
import io.rktlet.cri.v1.StopContainerRequest;
import io.rktlet.cri.v1.StopPodSandboxRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GetContainerEvents streams every lifecycle change in order and never slows rktlet down. */
class EventsIT extends RktletTestBase {
  private CriClient slowClient;

  @AfterEach
  void closeSlowClient() throws InterruptedException {
    if (slowClient != null) {
      slowClient.close();
    }
  }

  @Override
  List<String> rktletArgs() {
    return List.of("--event-buffer=8");
  }

  @Test
  void wholeLifecycleInOrder() throws Exception {
    pull("busybox");
    BlockingQueue<ContainerEventResponse> events = subscribe();
    PodSandboxConfig pod = podConfig("web");

    String podId = runPod(pod);
    String server = startContainer(podId, pod, "server", List.of("/bin/sleep", "300"));
    String job = startContainer(podId, pod, "job", List.of("/bin/sh", "-c", "sleep 1; exit 0"));
    await(() -> containerStatus(job).getState(), ContainerState.CONTAINER_EXITED::equals,
        Duration.ofSeconds(10));
    cri.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(server)
        .setTimeout(2).build());
    cri.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(server)
        .build());
    cri.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(job)
        .build());
    cri.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(podId)
        .build());
    cri.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId)
        .build());

    List<String> expected = List.of(
        "sandbox CONTAINER_CREATED_EVENT", "sandbox CONTAINER_STARTED_EVENT",
        "server CONTAINER_CREATED_EVENT", "server CONTAINER_STARTED_EVENT",
        "job CONTAINER_CREATED_EVENT", "job CONTAINER_STARTED_EVENT",
        "job CONTAINER_STOPPED_EVENT",
        "server CONTAINER_STOPPED_EVENT", "server CONTAINER_DELETED_EVENT",
        "job CONTAINER_DELETED_EVENT",
        "sandbox CONTAINER_STOPPED_EVENT", "sandbox CONTAINER_DELETED_EVENT");
    List<ContainerEventResponse> received = take(events, expected.size());
    assertThat(received.stream().map(event -> describe(event, podId, server, job))
        .collect(Collectors.toList())).containsExactlyElementsOf(expected);
    ContainerEventResponse jobStopped = received.get(6);
    assertThat(jobStopped.getPodSandboxStatus().getId()).isEqualTo(podId);
    assertThat(jobStopped.getContainersStatusesList())
        .filteredOn(status -> status.getId().equals(job))
        .singleElement()
        .satisfies(status -> assertThat(status.getState())
            .isEqualTo(ContainerState.CONTAINER_EXITED));
    assertThat(received).allSatisfy(event -> assertThat(event.getCreatedAt()).isPositive());
  }

  @Test
  void slowSubscriberIsCutOffWithoutSlowingCalls() throws Exception {
    pull("busybox");
    CompletableFuture<Status> slowEnd = new CompletableFuture<>();
    ClientCallStreamObserver<GetEventsRequest> slow = subscribeWithoutReading(slowEnd);
    BlockingQueue<ContainerEventResponse> reader = subscribe();
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);

    // Each cycle makes three events with the whole pod's status; the slow subscriber's
    // transport buffers fill, then its 8-event queue overflows.
    for (int i = 0; i < 100 && !rktlet.log().contains("Disconnecting event subscriber"); i++) {
      String id = createContainer(podId, pod, "c" + i, List.of("/bin/true"));
      cri.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id)
          .build());
    }
    // The stream's end waits behind the events the subscriber never read; read them now.
    slow.request(Integer.MAX_VALUE);

    Status status = slowEnd.get(30, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription()).contains("fell more than 8 events behind");
    assertThat(rktlet.log()).contains("Disconnecting event subscriber");
    // The subscriber that keeps reading got every event and stays connected.
    assertThat(take(reader, 2)).extracting(ContainerEventResponse::getContainerId)
        .containsOnly(podId);
  }

  private BlockingQueue<ContainerEventResponse> subscribe() throws InterruptedException {
    BlockingQueue<ContainerEventResponse> events = new LinkedBlockingQueue<>();
    RuntimeServiceGrpc.newStub(cri.channel()).getContainerEvents(
        GetEventsRequest.getDefaultInstance(), new io.grpc.stub.StreamObserver<>() {
          @Override
          public void onNext(ContainerEventResponse event) {
            events.add(event);
          }

          @Override
          public void onError(Throwable error) {}

          @Override
          public void onCompleted() {}
        });
    // Let the subscription reach the server before events start.
    Thread.sleep(300);
    return events;
  }

  /**
   * Subscribes on a connection with a small receive window and asks for no message until the
   * test says so; {@code end} completes with the stream's end.
   */
  private ClientCallStreamObserver<GetEventsRequest> subscribeWithoutReading(
      CompletableFuture<Status> end) throws InterruptedException {
    CompletableFuture<ClientCallStreamObserver<GetEventsRequest>> call =
        new CompletableFuture<>();
    slowClient = new CriClient(rktlet.socket(), 16 * 1024);
    RuntimeServiceGrpc.newStub(slowClient.channel()).getContainerEvents(
        GetEventsRequest.getDefaultInstance(),
        new ClientResponseObserver<GetEventsRequest, ContainerEventResponse>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<GetEventsRequest> stream) {
            stream.disableAutoRequestWithInitial(0);
            call.complete(stream);
          }

          @Override
          public void onNext(ContainerEventResponse event) {}

          @Override
          public void onError(Throwable error) {
            end.complete(Status.fromThrowable(error));
          }

          @Override
          public void onCompleted() {
            end.complete(Status.OK);
          }
        });
    Thread.sleep(300);
    return call.join();
  }

  private static List<ContainerEventResponse> take(BlockingQueue<ContainerEventResponse> queue,
      int count) throws InterruptedException {
    List<ContainerEventResponse> taken = new java.util.ArrayList<>();
    while (taken.size() < count) {
      ContainerEventResponse event = queue.poll(15, TimeUnit.SECONDS);
      if (event == null) {
        throw new AssertionError("only " + taken.size() + " of " + count + " events arrived: "
            + taken);
      }
      taken.add(event);
    }
    return taken;
  }

  private static String describe(ContainerEventResponse event, String podId, String server,
      String job) {
    String id = event.getContainerId();
    String who = id.equals(podId) ? "sandbox" : id.equals(server) ? "server"
        : id.equals(job) ? "job" : id;
    return who + " " + event.getContainerEventType();
  }
}
