package io.ivsanalytics.ingest;

import java.io.Serializable;

/**
 * What an executor needs to build its IVS clients; serializable, unlike the clients. {@code
 * endpoint} is null in production (the SDK resolves the regional endpoint).
 */
public record ClientSettings(String endpoint, long attemptTimeoutMillis, long callTimeoutMillis, int maxConnections)
    implements Serializable {}
