package io.rktlet.rkt;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run rkt.
 *
 * @param binary path of the rkt executable
 * @param dataDir rkt's data directory ({@code --dir})
 * @param localConfig rkt's local configuration directory ({@code --local-config}), or null
 * @param insecureOptions value of the global {@code --insecure-options}, or null
 * @param commandTimeout default deadline of one rkt command when the gRPC call sets none
 */
public record RktCliConfig(
    Path binary, Path dataDir, Path localConfig, String insecureOptions, Duration commandTimeout) {}
