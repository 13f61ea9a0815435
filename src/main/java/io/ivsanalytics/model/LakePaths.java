package io.ivsanalytics.model;

/**
 * Paths inside the lake, for local paths and Hadoop URIs alike ({@code s3://bucket/lake}): {@code
 * LAKE/<table>/dt=YYYY-MM-DD/}. Trailing slashes of the parent are ignored.
 */
public final class LakePaths {

  /** {@code parent/name}. */
  public static String child(String parent, String name) {
    return parent.replaceAll("/+$", "") + "/" + name;
  }

  /** The Hive partition directory {@code tableDir/dt=<dt>}. */
  public static String partition(String tableDir, Object dt) {
    return child(tableDir, Schemas.DT + "=" + dt);
  }

  private LakePaths() {}
}
