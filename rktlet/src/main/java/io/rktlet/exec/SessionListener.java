package io.rktlet.exec;

/** Told when a streaming session (exec, attach or a port-forward connection) opens and ends. */
public interface SessionListener {
  void opened();

  void closed();

  SessionListener NONE = new SessionListener() {
    @Override
    public void opened() {}

    @Override
    public void closed() {}
  };
}
