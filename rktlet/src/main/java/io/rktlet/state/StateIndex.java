package io.rktlet.state;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The in-memory mirror of the store, which serves every List and Status call without spawning
 * a process. Writers update the store first and then this index; readers see whole records.
 */
public final class StateIndex {
  private final Map<String, SandboxRecord> sandboxes = new ConcurrentHashMap<>();
  private final Map<String, ContainerRecord> containers = new ConcurrentHashMap<>();
  private final Map<String, ImageRecord> images = new ConcurrentHashMap<>();

  public void putSandbox(SandboxRecord record) {
    sandboxes.put(record.id(), record);
  }

  public void removeSandbox(String id) {
    sandboxes.remove(id);
  }

  public Optional<SandboxRecord> sandbox(String id) {
    return Optional.ofNullable(sandboxes.get(id));
  }

  public Collection<SandboxRecord> sandboxes() {
    return sandboxes.values();
  }

  public java.util.Set<String> sandboxIds() {
    return sandboxes.keySet();
  }

  /**
   * Returns the sandbox whose ID is {@code idOrPrefix} or starts with it, as crictl allows;
   * empty when none or several match.
   */
  public Optional<SandboxRecord> findSandbox(String idOrPrefix) {
    return findByPrefix(sandboxes, idOrPrefix);
  }

  public void putContainer(ContainerRecord record) {
    containers.put(record.id(), record);
  }

  public void removeContainer(String id) {
    containers.remove(id);
  }

  public Optional<ContainerRecord> container(String id) {
    return Optional.ofNullable(containers.get(id));
  }

  public Optional<ContainerRecord> findContainer(String idOrPrefix) {
    return findByPrefix(containers, idOrPrefix);
  }

  public Collection<ContainerRecord> containers() {
    return containers.values();
  }

  public java.util.Set<String> containerIds() {
    return containers.keySet();
  }

  public List<ContainerRecord> containersOf(String sandboxId) {
    return containers.values().stream()
        .filter(container -> container.sandboxId().equals(sandboxId))
        .collect(Collectors.toList());
  }

  public void putImage(ImageRecord record) {
    images.put(record.id(), record);
  }

  public void removeImage(String id) {
    images.remove(id);
  }

  public Optional<ImageRecord> image(String id) {
    return Optional.ofNullable(images.get(id));
  }

  public Collection<ImageRecord> images() {
    return images.values();
  }

  /** Returns the first repo digest of the image, or null when it has none or is unknown. */
  public String repoDigestOf(String imageId) {
    ImageRecord image = images.get(imageId);
    return image == null || image.repoDigests().isEmpty() ? null : image.repoDigests().get(0);
  }

  private static <T> Optional<T> findByPrefix(Map<String, T> records, String idOrPrefix) {
    if (idOrPrefix == null || idOrPrefix.isEmpty()) {
      return Optional.empty();
    }
    T exact = records.get(idOrPrefix);
    if (exact != null) {
      return Optional.of(exact);
    }
    List<T> matches = records.entrySet().stream()
        .filter(entry -> entry.getKey().startsWith(idOrPrefix))
        .map(Map.Entry::getValue)
        .limit(2)
        .collect(Collectors.toList());
    return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
  }
}
