package io.ivsanalytics.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.s3.AmazonS3;
import io.ivsanalytics.TestSpark;
import io.ivsanalytics.lake.MotoServer;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The test-server extension: each annotated class gets its servers once, on loopback ports, and
 * they are gone after the class; the next class gets new ones; the SparkSession is shared.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class TestServersTest {
  static final AtomicInteger configCalls = new AtomicInteger();
  static IvsSimulator firstSim;
  static S3Bucket firstBucket;
  static SparkSession firstSpark;

  static SimulatorConfig.Builder tinyFleet() {
    configCalls.incrementAndGet();
    return SimulatorConfig.builder()
        .seed(2)
        .channelsPerAccountRegion(1)
        .days(1)
        .sessionsPerChannelPerDay(1)
        .anchor(Instant.parse("2024-05-06T00:00:00Z"));
  }

  static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      throw new AssertionError("unexpected failure connecting to port " + port, e);
    }
  }

  @Nested
  @Order(1)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  @WithSimulator("tinyFleetOnce")
  @WithS3(bucket = "first-bucket")
  @WithSpark
  class First {
    static IvsSimulator sim;
    static S3Bucket bucket;
    static MotoServer moto;
    static AmazonS3 s3;
    static SparkSession spark;

    static SimulatorConfig.Builder tinyFleetOnce() {
      return tinyFleet();
    }

    @Test
    @Order(1)
    void fieldsAndParametersAreTheSameServers(
        IvsSimulator simParam,
        S3Bucket bucketParam,
        MotoServer motoParam,
        AmazonS3 s3Param,
        SparkSession sparkParam) {
      assertNotNull(sim);
      assertSame(sim, simParam);
      assertSame(bucket, bucketParam);
      assertSame(bucket.moto(), moto);
      assertSame(moto, motoParam);
      assertSame(s3, s3Param);
      assertSame(spark, sparkParam);
      assertSame(TestSpark.session(), spark);
      assertEquals("127.0.0.1", sim.endpoint().getHost());
      assertTrue(moto.endpoint().startsWith("http://127.0.0.1:"), moto.endpoint());
      assertTrue(accepts(sim.endpoint().getPort()));
      assertTrue(moto.running());
      assertTrue(s3.doesBucketExistV2("first-bucket"), "the bucket is created");
      assertEquals("s3a://first-bucket/lake", bucket.uri("lake"));
      assertEquals(moto.endpoint(), bucket.hadoopConf().get("fs.s3a.endpoint"));
      assertEquals(1, sim.fleet().channels().size(), "the fleet of the named factory method");
      firstSim = sim;
      firstBucket = bucket;
      firstSpark = spark;
    }

    @Test
    @Order(2)
    void startedOncePerClass(IvsSimulator simParam) {
      assertSame(firstSim, simParam);
      assertSame(firstSim, sim);
      assertSame(firstBucket, bucket);
      assertEquals(1, configCalls.get(), "the factory method runs once per class");
    }
  }

  @Nested
  @Order(2)
  @WithSimulator("tinyFleetAgain")
  @WithS3
  @WithSpark
  class Second {
    static IvsSimulator sim;
    static S3Bucket bucket;
    static SparkSession spark;

    static SimulatorConfig tinyFleetAgain() {
      return tinyFleet().build();
    }

    @Test
    void aSecondClassGetsItsOwnServersAndTheFirstOnesAreStopped() {
      assertNotNull(firstSim, "First ran before");
      assertNotSame(firstSim, sim);
      assertNotSame(firstBucket, bucket);
      assertEquals(2, configCalls.get());
      assertTrue(accepts(sim.endpoint().getPort()));
      assertTrue(bucket.moto().running());
      assertTrue(bucket.client().doesBucketExistV2("bucket"), "the default bucket name");
      assertFalse(firstBucket.moto().running(), "the first class's moto_server is ended");
      if (firstSim.endpoint().getPort() != sim.endpoint().getPort()) {
        assertFalse(
            accepts(firstSim.endpoint().getPort()), "the first class's simulator is closed");
      }
      assertSame(firstSpark, spark, "one SparkSession per test JVM");
    }
  }
}
