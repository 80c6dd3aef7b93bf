package io.rktlet.rkt;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An image of rkt's store as {@code rkt image list --format=json} prints it.
 *
 * @param id the store ID, {@code sha512-} and hex digits
 * @param name the store name, for docker images the registry host with {@code _} for {@code :}
 *     plus the repository, and {@code :version} when the image was fetched by tag
 * @param importTimeNanos Unix nanoseconds
 * @param sizeBytes size of the image in the store
 */
public record RktImage(
    @JsonProperty("id") String id,
    @JsonProperty("name") String name,
    @JsonProperty("import_time") long importTimeNanos,
    @JsonProperty("last_used_time") long lastUsedTimeNanos,
    @JsonProperty("size") long sizeBytes) {}
