package io.rktlet;

import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.rktlet.config.RktletConfig;
import io.rktlet.container.AppKiller;
import io.rktlet.container.AppPaths;
import io.rktlet.container.AppSetup;
import io.rktlet.containerio.LogRecordTally;
import io.rktlet.containerio.SupervisorBinary;
import io.rktlet.security.DevicePlanner;
import io.rktlet.security.HostPlatform;
import io.rktlet.security.LsmPolicy;
import io.rktlet.security.PodCapabilityBound;
import io.rktlet.security.SecurityPlanner;
import io.rktlet.container.BindMountVolumes;
import io.rktlet.container.ContainerCreator;
import io.rktlet.container.ContainerManager;
import io.rktlet.container.ContainerStore;
import io.rktlet.container.ExitReader;
import io.rktlet.container.ResourceUpdates;
import io.rktlet.container.StartLimiter;
import io.rktlet.events.EventBus;
import io.rktlet.exec.ExecService;
import io.rktlet.exec.ExecTargets;
import io.rktlet.exec.PortForwarder;
import io.rktlet.exec.RktStreamingRuntime;
import io.rktlet.exec.SessionListener;
import io.rktlet.stats.StatsService;
import io.rktlet.streaming.StreamingOptions;
import io.rktlet.streaming.StreamingServer;
import io.rktlet.events.EventPublisher;
import io.rktlet.host.Launchers;
import io.rktlet.host.LinuxMounter;
import io.rktlet.host.Mounter;
import io.rktlet.image.ImageManager;
import io.rktlet.metrics.MeteredProcessRunner;
import io.rktlet.metrics.Metrics;
import io.rktlet.metrics.MetricsInterceptor;
import io.rktlet.metrics.MetricsServer;
import io.rktlet.metrics.StateGauges;
import io.rktlet.process.DefaultProcessRunner;
import io.rktlet.process.ProcessRunner;
import io.rktlet.reconcile.Reconciler;
import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktCliConfig;
import io.rktlet.runtime.NetworkCheck;
import io.rktlet.runtime.RktHealth;
import io.rktlet.runtime.RuntimeInfo;
import io.rktlet.cgroups.OomWatcher;
import io.rktlet.cgroups.PodCgroups;
import io.rktlet.sandbox.PodSysctls;
import io.rktlet.sandbox.SandboxFiles;
import io.rktlet.sandbox.SandboxManager;
import io.rktlet.security.SandboxSecurityPlanner;
import io.rktlet.security.SysctlApplier;
import io.rktlet.cgroups.CgroupLayout;
import io.rktlet.server.CallInterceptor;
import io.rktlet.server.ImageServiceImpl;
import io.rktlet.server.RuntimeServiceImpl;
import io.rktlet.server.UnixSocketServer;
import io.rktlet.state.NameReservations;
import io.rktlet.state.SandboxStore;
import io.rktlet.state.StateIndex;
import io.rktlet.store.StateDirectoryLock;
import io.rktlet.store.Store;
import io.rktlet.util.KeyedLocks;
import io.rktlet.util.NanoClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds rktlet's components from the configuration and runs them. */
public final class Rktlet {
  private static final Logger log = LoggerFactory.getLogger(Rktlet.class);

  private static final long HEALTH_CHECK_INTERVAL_SECONDS = 10;
  private static final long SHUTDOWN_GRACE_SECONDS = 5;
  private static final List<String> HEALTH_SERVICES =
      List.of("", "runtime.v1.RuntimeService", "runtime.v1.ImageService");

  private final RktletConfig config;
  private final Store store;
  private final Mounter mounter;
  private final RktHealth health;
  private final ImageManager images;
  private final Reconciler reconciler;
  private final UnixSocketServer server;
  private final HealthStatusManager healthStatus;
  private final EventBus events;
  private final StreamingServer streaming;
  private final Metrics metrics;
  private volatile MetricsServer metricsServer;
  private final ScheduledExecutorService healthChecks = Executors.newSingleThreadScheduledExecutor(
      runnable -> {
        Thread thread = new Thread(runnable, "rkt-health");
        thread.setDaemon(true);
        return thread;
      });
  private volatile boolean stopped;

  private Rktlet(RktletConfig config, Store store, Mounter mounter, RktHealth health,
      ImageManager images, Reconciler reconciler, UnixSocketServer server,
      HealthStatusManager healthStatus, EventBus events, StreamingServer streaming,
      Metrics metrics) {
    this.config = config;
    this.store = store;
    this.mounter = mounter;
    this.health = health;
    this.images = images;
    this.reconciler = reconciler;
    this.server = server;
    this.healthStatus = healthStatus;
    this.events = events;
    this.streaming = streaming;
    this.metrics = metrics;
  }

  /** Wires every component; nothing runs until {@link #start}. */
  public static Rktlet create(RktletConfig config) throws IOException, SQLException {
    ConfigLog.log(config);
    Files.createDirectories(config.stateDir());
    // Metrics exist only when a metrics server is configured, which saves their start-up time.
    Metrics metrics = config.metricsAddress() == null ? null : new Metrics();
    ProcessRunner runner = metrics == null ? new DefaultProcessRunner()
        : new MeteredProcessRunner(new DefaultProcessRunner(), config.rkt().binary(), metrics);
    RktCli rkt = new RktCli(new RktCliConfig(config.rkt().binary(), config.rkt().dataDir(),
        config.rkt().localConfig(), null, config.rkt().commandTimeout()), runner);
    Store store = Store.open(config.stateDir());
    StateIndex index = new StateIndex();
    NameReservations names = new NameReservations();
    KeyedLocks sandboxLocks = new KeyedLocks();
    NanoClock clock = NanoClock.SYSTEM;
    Mounter mounter = new LinuxMounter(runner, config.stateDir().resolve("mount-staging"));
    RktHealth health = new RktHealth(rkt);
    // Next to the socket, which lives under /run (a tmpfs) by default, so passwords given to
    // PullImage never reach a disk.
    ImageManager images = new ImageManager(rkt, store, index, config.registries(),
        config.socket().getParent().resolve("pull-credentials"),
        ImageManager.DEFAULT_PULL_TIMEOUT);
    AppPaths paths = new AppPaths(config.rkt().dataDir(), config.host().cgroupRoot());
    EventBus events = new EventBus(config.eventBuffer());
    EventPublisher publisher = new EventPublisher(events, index, clock);
    SandboxStore sandboxStore = new SandboxStore(store, index, names, publisher);
    ContainerStore containerStore = new ContainerStore(store, index, names, publisher);
    AppSetup appSetup = new AppSetup(securityPlanner(),
        SupervisorBinary.install(config.stateDir()), config.stateDir(), mounter,
        new BindMountVolumes(mounter), OomScore.ownValue(),
        new LogRecordTally(config.stateDir()));
    ContainerCreator creator = new ContainerCreator(rkt, index, containerStore, images,
        appSetup, paths, sandboxLocks, clock);
    PodCgroups podCgroups = new PodCgroups(cgroupLayout(config), config.host().cgroupDriver());
    ExitReader exits = new ExitReader(rkt, config.stateDir(), new OomWatcher(podCgroups,
        new SandboxFiles(config.stateDir())::dir));
    ContainerManager containers = new ContainerManager(rkt, index, containerStore, creator,
        new AppKiller(paths), new StartLimiter(runner), exits, config.stateDir(), clock);
    SandboxManager sandboxes = new SandboxManager(config, rkt,
        Launchers.choose(config.host().launcher(), runner, appSetup.supervisorBinary()),
        podCgroups, podSysctls(runner), sandboxStore, index, containers, names, sandboxLocks,
        clock);
    Reconciler reconciler = new Reconciler(rkt, store, sandboxStore, index, containerStore,
        creator, exits, sandboxes.teardown(), sandboxes.files(), podCgroups, names,
        sandboxLocks, clock);
    RuntimeInfo runtime = new RuntimeInfo(config, health,
        new NetworkCheck(config.rkt().network(), config.rkt().localConfig()));
    ExecTargets execTargets = new ExecTargets(index, paths, podCgroups, config.stateDir());
    RktStreamingRuntime streamingRuntime = new RktStreamingRuntime(rkt, index, execTargets,
        new PortForwarder(appSetup.supervisorBinary()), sessionListener(metrics));
    StreamingServer streaming = new StreamingServer(streamingOptions(config.streaming()),
        streamingRuntime, streamingRuntime);
    HealthStatusManager healthStatus = new HealthStatusManager();
    List<BindableService> services = List.of(
        new RuntimeServiceImpl(runtime, sandboxes, containers,
            new ExecService(rkt, execTargets), streaming,
            new StatsService(index, paths, podCgroups, config.rkt().dataDir(), clock),
            new ResourceUpdates(index, containerStore, paths, podCgroups), events),
        new ImageServiceImpl(images),
        healthStatus.getHealthService());
    UnixSocketServer server = new UnixSocketServer(config.socket(), services,
        interceptors(metrics, index, appSetup.logRecords()));
    return new Rktlet(config, store, mounter, health, images, reconciler, server,
        healthStatus, events, streaming, metrics);
  }

  /** Returns the host's cgroup hierarchies, or null (no pod cgroups) when none are found. */
  private static CgroupLayout cgroupLayout(RktletConfig config) {
    try {
      CgroupLayout layout = CgroupLayout.detect(config.host().cgroupRoot());
      log.info("cgroup layout under {}: {}", config.host().cgroupRoot(), layout.version());
      return layout;
    } catch (IOException | RuntimeException e) {
      log.warn("No usable cgroup hierarchy under {}; pods run without a cgroup of their own: "
          + "{}", config.host().cgroupRoot(), e.getMessage());
      return null;
    }
  }

  private static StreamingOptions streamingOptions(RktletConfig.Streaming streaming) {
    StreamingOptions options = StreamingOptions.defaults()
        .withAddress(streaming.address())
        .withIdleTimeout(streaming.idleTimeout());
    return streaming.tlsCertificate() == null ? options
        : options.withTls(streaming.tlsCertificate(), streaming.tlsKey());
  }

  private static SecurityPlanner securityPlanner() throws IOException {
    return new SecurityPlanner(podBound(), HostPlatform.current(), lsmPolicy(),
        DevicePlanner.forHost());
  }

  private static PodSysctls podSysctls(ProcessRunner runner) throws IOException {
    return new PodSysctls(new SandboxSecurityPlanner(podBound(), lsmPolicy()),
        new SysctlApplier(runner));
  }

  /** The capabilities a rkt pod can grant: nspawn's default set, within rktlet's own. */
  private static PodCapabilityBound podBound() throws IOException {
    return PodCapabilityBound.nspawnDefaultWithin(Path.of("/proc/self/status"));
  }

  private static LsmPolicy lsmPolicy() {
    return LsmPolicy.detect(LsmPolicy.APPARMOR_ENABLED, LsmPolicy.SELINUX_ENFORCE);
  }

  private static SessionListener sessionListener(Metrics metrics) {
    if (metrics == null) {
      return SessionListener.NONE;
    }
    return new SessionListener() {
      @Override
      public void opened() {
        metrics.streamingSessionOpened();
      }

      @Override
      public void closed() {
        metrics.streamingSessionClosed();
      }
    };
  }

  private static List<ServerInterceptor> interceptors(Metrics metrics, StateIndex index,
      LogRecordTally logRecords) {
    List<ServerInterceptor> interceptors = new ArrayList<>(List.of(new CallInterceptor()));
    if (metrics != null) {
      metrics.podStates(StateGauges.pods(index));
      metrics.containerStates(StateGauges.containers(index));
      metrics.logRecords(() -> logRecords.total(index.containerIds()));
      metrics.imageSizes(imageId -> index.image(imageId)
          .map(image -> OptionalLong.of(image.sizeBytes())).orElse(OptionalLong.empty()));
      // Last in the list, so it intercepts each call first and records the status that
      // CallInterceptor mapped from an exception.
      interceptors.add(new MetricsInterceptor(metrics));
    }
    return interceptors;
  }

  /** Prepares the host, reconciles with rkt and starts serving. */
  public void start() throws IOException {
    prepareDataDirectory();
    RktHealth.Snapshot rkt = health.check();
    images.loadAndReconcile();
    reconciler.load();
    if (rkt.ready()) {
      reconciler.reconcile();
    } else {
      log.warn("Serving without reconciling with rkt, which is unusable: {}", rkt.message());
    }
    healthStatus.setStatus("", ServingStatus.SERVING);
    health.onChange(snapshot -> setHealth(snapshot.ready()));
    setHealth(rkt.ready());
    streaming.start();
    if (metrics != null) {
      // Before the CRI socket, so that an address already in use fails start-up cleanly.
      metricsServer = MetricsServer.start(config.metricsAddress(), metrics);
    }
    server.start();
    reconciler.start(config.reconcileInterval());
    healthChecks.scheduleWithFixedDelay(health::check, HEALTH_CHECK_INTERVAL_SECONDS,
        HEALTH_CHECK_INTERVAL_SECONDS, TimeUnit.SECONDS);
    log.info("rktlet is ready");
  }

  private void prepareDataDirectory() throws IOException {
    Path dataDir = config.rkt().dataDir();
    Files.createDirectories(dataDir);
    if (!config.host().manageMounts()) {
      log.warn("Not checking that {} is a shared mount (manage_mounts is false); volumes and "
          + "apps will not reach pods if it is not", dataDir);
      return;
    }
    // rkt mounts app root filesystems from the host side; they reach the pod only through a
    // shared mount.
    if (mounter.ensureSharedMount(dataDir)) {
      log.info("Made rkt's data directory {} a shared mount", dataDir);
    }
  }

  private void setHealth(boolean ready) {
    ServingStatus status = ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    HEALTH_SERVICES.forEach(service -> healthStatus.setStatus(service, status));
  }

  /**
   * Stops serving and closes the store. Pods and their apps keep running: they are parented by
   * systemd or live in their own sessions, and the next start of rktlet adopts them.
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    log.info("Stopping rktlet; pods keep running");
    healthStatus.enterTerminalState();
    events.closeAll();
    server.stop(SHUTDOWN_GRACE_SECONDS);
    streaming.stop();
    if (metricsServer != null) {
      metricsServer.close();
    }
    reconciler.close();
    healthChecks.shutdownNow();
    try {
      store.close();
    } catch (SQLException e) {
      log.warn("Closing the state database failed: {}", e.toString());
    }
    log.info("rktlet stopped");
  }

  /** Replaces the registry mirrors and insecure registries (configuration reload). */
  public void updateRegistries(java.util.Map<String, io.rktlet.config.RegistryHost> registries) {
    images.updateRegistries(registries);
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }
}
