package io.rktlet.image;

/**
 * The rkt image that one successful fetch added to rkt's store, ready to be grouped into an
 * image record.
 *
 * @param reference the normalised reference that was requested
 * @param digest the CRI image ID of the fetched content
 * @param rktImageId the rkt store ID ({@code sha512-...})
 * @param sizeBytes the rkt image's size in the store
 * @param user the image's configured user, or empty
 */
public record PulledImage(
    ImageReference reference, ManifestDigest digest, String rktImageId, long sizeBytes,
    String user) {}
