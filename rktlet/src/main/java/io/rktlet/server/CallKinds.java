package io.rktlet.server;

/** Tells polling calls, which the kubelet makes every few seconds, from changing calls. */
final class CallKinds {
  private CallKinds() {}

  static boolean isPolling(String method) {
    return method.startsWith("List")
        || method.startsWith("Stream")
        || method.endsWith("Status")
        || method.endsWith("Stats")
        || method.equals("Version")
        || method.equals("ImageFsInfo")
        || method.equals("RuntimeConfig")
        || method.equals("Check")
        || method.equals("Watch");
  }
}
