package io.rktlet;

public final class Main {
  public static void main(String[] args) {
    System.out.println(io.rktlet.cri.v1.VersionRequest.newBuilder().setVersion("v1").build());
  }
}
