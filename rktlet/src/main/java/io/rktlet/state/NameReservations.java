package io.rktlet.state;

import io.rktlet.errors.CriException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reserves sandbox and container names for an ID, so two concurrent creates of the same pod or
 * container cannot both proceed. A name stays reserved until its owner is removed.
 */
public final class NameReservations {
  private final Map<String, String> owners = new ConcurrentHashMap<>();

  /** Reserves {@code name} for {@code id}, or fails with ALREADY_EXISTS naming the owner. */
  public void reserve(String kind, String name, String id) {
    String owner = owners.putIfAbsent(name, id);
    if (owner != null && !owner.equals(id)) {
      throw CriException.alreadyExists(kind + " name \"" + name + "\" is already reserved for "
          + kind + " " + owner + "; remove it first or use a new attempt number");
    }
  }

  /** Releases {@code name} if {@code id} holds it. */
  public void release(String name, String id) {
    owners.remove(name, id);
  }
}
