package io.ivsanalytics.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.simulator.Fleet;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the cluster jars of both Spark lines carry: no class at a path the platforms also ship
 * (Spark, Scala, Hadoop, the AWS SDK v2, Jackson, ... — those move under {@code
 * io/ivsanalytics/shaded/}), no class that the stock Spark runtime of the line already has,
 * service-loader files that name classes present in the jar, and a relocated AWS SDK that still
 * finds its HTTP client and resources and calls IVS.
 */
class ClusterJarIT {
  /** Paths that must not hold classes in our jar: the platform's copy would clash with ours. */
  static final List<String> CLASHES =
      List.of(
          "scala/",
          "org/apache/spark/",
          "org/apache/hadoop/",
          "software/amazon/awssdk/",
          "software/amazon/eventstream/",
          "com/fasterxml/jackson/",
          "org/apache/http/",
          "org/apache/commons/codec/",
          "org/apache/commons/io/",
          "org/apache/commons/csv/",
          "org/apache/commons/logging/",
          "org/reactivestreams/",
          "org/slf4j/",
          "picocli/",
          "org/apache/parquet/",
          "org/apache/avro/",
          "io/netty/",
          "META-INF/versions/");

  static final String SHADED = "io/ivsanalytics/shaded/";

  static List<SparkLine> lines() {
    return List.of(SparkLine.built(), SparkLine.spark4());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lines")
  void noUnrelocatedClash(SparkLine line) throws Exception {
    Path jar = line.requireJar();
    List<String> entries = entries(jar);
    List<String> clashes = new ArrayList<>();
    TreeMap<String, Integer> packages = new TreeMap<>();
    for (String e : entries) {
      if (!e.endsWith(".class")) {
        continue;
      }
      for (String prefix : CLASHES) {
        if (e.startsWith(prefix)) {
          clashes.add(e);
        }
      }
      String[] parts = e.split("/");
      String top =
          e.startsWith(SHADED)
              ? String.join("/", List.of(parts).subList(0, Math.min(parts.length - 1, 6)))
              : String.join("/", List.of(parts).subList(0, Math.min(parts.length - 1, 2)));
      packages.merge(top, 1, Integer::sum);
    }
    System.out.println(
        line
            + " cluster jar "
            + jar.getFileName()
            + ": class entries per top-level package "
            + packages);
    assertTrue(
        clashes.isEmpty(),
        "unrelocated classes in " + jar + ": " + clashes.subList(0, Math.min(20, clashes.size())));
    assertTrue(
        packages.keySet().stream().anyMatch(p -> p.startsWith(SHADED + "software/amazon/awssdk")),
        "the relocated AWS SDK is missing: " + packages.keySet());
    assertTrue(entries.contains("io/ivsanalytics/cli/Main.class"));
    try (JarFile j = new JarFile(jar.toFile())) {
      assertEquals(
          "io.ivsanalytics.cli.Main", j.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lines")
  void noClassThatStockSparkShips(SparkLine line) throws Exception {
    Set<String> ours = new HashSet<>();
    for (String e : entries(line.requireJar())) {
      if (e.endsWith(".class") && !e.startsWith("io/ivsanalytics/")) {
        ours.add(e);
      }
    }
    TreeSet<String> both = new TreeSet<>();
    for (Path sparkJar : line.runtimeJars()) {
      for (String e : entries(sparkJar)) {
        if (ours.contains(e)) {
          both.add(sparkJar.getFileName() + ": " + e);
        }
      }
    }
    assertTrue(
        both.isEmpty(),
        both.size()
            + " classes of the cluster jar are also in stock "
            + line
            + ", e.g. "
            + both.stream().limit(10).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lines")
  void serviceFilesNameClassesInTheJar(SparkLine line) throws Exception {
    Path jar = line.requireJar();
    Set<String> entries = new HashSet<>(entries(jar));
    List<String> broken = new ArrayList<>();
    int services = 0;
    try (ZipFile z = new ZipFile(jar.toFile())) {
      for (String e : entries) {
        if (!e.startsWith("META-INF/services/") || e.endsWith("/")) {
          continue;
        }
        services++;
        String service = e.substring("META-INF/services/".length());
        if (!entries.contains(service.replace('.', '/') + ".class")) {
          broken.add(e + " (no such service class in the jar)");
        }
        String text =
            new String(z.getInputStream(z.getEntry(e)).readAllBytes(), StandardCharsets.UTF_8);
        for (String l : text.split("\n")) {
          String impl = l.replaceAll("#.*", "").trim();
          if (!impl.isEmpty() && !entries.contains(impl.replace('.', '/') + ".class")) {
            broken.add(e + " -> " + impl);
          }
        }
      }
    }
    assertTrue(services > 0);
    assertTrue(broken.isEmpty(), "service files that name missing classes: " + broken);
    assertTrue(
        entries.contains(
            "META-INF/services/"
                + SHADED.replace('/', '.')
                + "software.amazon.awssdk.http.SdkHttpService"));
    for (String resource :
        List.of(
            "software/amazon/awssdk/regions/internal/region/endpoints.json",
            "software/amazon/awssdk/awscore/internal/defaults/sdk-default-configuration.json")) {
      assertTrue(
          entries.contains(SHADED + resource),
          "relocated SDK resource missing: " + SHADED + resource);
    }
  }

  /**
   * The relocated SDK on its own (the jar, slf4j and commons-logging as a platform provides them;
   * no unshaded SDK in reach): the default HTTP client is found through its relocated service file,
   * regions and defaults load, and GetStreamSession answers from the simulator.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("lines")
  void relocatedSdkCallsIvs(SparkLine line) throws Exception {
    String p = "io.ivsanalytics.shaded.software.amazon.awssdk.";
    List<URL> urls =
        new ArrayList<>(
            List.of(
                line.requireJar().toUri().toURL(),
                codeSource(org.slf4j.Logger.class),
                codeSource(org.apache.commons.logging.LogFactory.class)));
    try (IvsSimulator sim =
            IvsSimulator.start(
                SimulatorConfig.builder()
                    .seed(3)
                    .accounts("111122223333")
                    .regions("us-west-2")
                    .channelsPerAccountRegion(1)
                    .days(1)
                    .sessionsPerChannelPerDay(1)
                    .anchor(Instant.parse("2024-05-06T12:00:00Z"))
                    .tps(100)
                    .build());
        URLClassLoader cl =
            new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Fleet.Channel channel = sim.fleet().channels().get(0);
      String streamId = channel.sessions().get(0).streamId();
      Class<?> credsType = cl.loadClass(p + "auth.credentials.AwsCredentials");
      Object creds =
          cl.loadClass(p + "auth.credentials.AwsBasicCredentials")
              .getMethod("create", String.class, String.class)
              .invoke(null, "AKIDEXAMPLE", "secret");
      Object provider =
          cl.loadClass(p + "auth.credentials.StaticCredentialsProvider")
              .getMethod("create", credsType)
              .invoke(null, creds);
      Object region =
          cl.loadClass(p + "regions.Region")
              .getMethod("of", String.class)
              .invoke(null, "us-west-2");
      Object builder = cl.loadClass(p + "services.ivs.IvsClient").getMethod("builder").invoke(null);
      Class<?> awsBuilder = cl.loadClass(p + "awscore.client.builder.AwsClientBuilder");
      awsBuilder.getMethod("region", region.getClass()).invoke(builder, region);
      awsBuilder
          .getMethod(
              "credentialsProvider", cl.loadClass(p + "auth.credentials.AwsCredentialsProvider"))
          .invoke(builder, provider);
      cl.loadClass(p + "core.client.builder.SdkClientBuilder")
          .getMethod("endpointOverride", URI.class)
          .invoke(builder, sim.endpoint());
      Object client =
          cl.loadClass(p + "utils.builder.SdkBuilder").getMethod("build").invoke(builder);
      try {
        Object reqBuilder =
            cl.loadClass(p + "services.ivs.model.GetStreamSessionRequest")
                .getMethod("builder")
                .invoke(null);
        Class<?> rb = cl.loadClass(p + "services.ivs.model.GetStreamSessionRequest$Builder");
        rb.getMethod("channelArn", String.class).invoke(reqBuilder, channel.arn());
        rb.getMethod("streamId", String.class).invoke(reqBuilder, streamId);
        Object request =
            cl.loadClass(p + "utils.builder.SdkBuilder").getMethod("build").invoke(reqBuilder);
        // No HTTP client is set: the SDK finds the relocated Apache client through its relocated
        // service file, the only HTTP implementation this class loader can see.
        Object response =
            cl.loadClass(p + "services.ivs.IvsClient")
                .getMethod("getStreamSession", request.getClass())
                .invoke(client, request);
        Object session = response.getClass().getMethod("streamSession").invoke(response);
        assertEquals(streamId, session.getClass().getMethod("streamId").invoke(session));
      } finally {
        ((AutoCloseable) client).close();
      }
      assertEquals(1, sim.stats().requests("GetStreamSession"));
    }
  }

  static URL codeSource(Class<?> c) {
    return c.getProtectionDomain().getCodeSource().getLocation();
  }

  static List<String> entries(Path jar) throws IOException {
    List<String> out = new ArrayList<>();
    try (ZipFile z = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> en = z.entries();
      while (en.hasMoreElements()) {
        out.add(en.nextElement().getName());
      }
    }
    return out;
  }
}
