package io.ivsanalytics.testing;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import io.ivsanalytics.lake.MotoServer;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A bucket on a test class's own moto_server, with an S3 client and the s3a settings to reach it.
 */
public final class S3Bucket implements AutoCloseable {
  private final MotoServer moto;
  private final AmazonS3 client;
  private final String name;

  private S3Bucket(MotoServer moto, AmazonS3 client, String name) {
    this.moto = moto;
    this.client = client;
    this.name = name;
  }

  /** Starts a moto_server on a free loopback port and creates {@code name} on it. */
  public static S3Bucket start(String name) throws IOException, InterruptedException {
    MotoServer moto = MotoServer.start();
    AmazonS3 client = null;
    try {
      client =
          AmazonS3ClientBuilder.standard()
              .withEndpointConfiguration(
                  new AwsClientBuilder.EndpointConfiguration(moto.endpoint(), "us-east-1"))
              .withPathStyleAccessEnabled(true)
              .withCredentials(
                  new AWSStaticCredentialsProvider(
                      new BasicAWSCredentials(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
              .build();
      client.createBucket(name);
      return new S3Bucket(moto, client, name);
    } catch (RuntimeException e) {
      if (client != null) {
        client.shutdown();
      }
      moto.close();
      throw e;
    }
  }

  public MotoServer moto() {
    return moto;
  }

  public AmazonS3 client() {
    return client;
  }

  public String name() {
    return name;
  }

  /** {@code s3a://<bucket>/<path>}. */
  public String uri(String path) {
    return "s3a://" + name + "/" + path;
  }

  /** The server's s3a settings as Spark configuration keys ({@code spark.hadoop.fs.s3a.*}). */
  public Map<String, String> sparkS3aSettings() {
    return moto.sparkS3aSettings();
  }

  /** A plain Hadoop configuration with the same s3a settings. */
  public Configuration hadoopConf() {
    Configuration c = new Configuration();
    moto.sparkS3aSettings().forEach((k, v) -> c.set(k.substring("spark.hadoop.".length()), v));
    return c;
  }

  @Override
  public void close() {
    try {
      client.shutdown();
    } finally {
      moto.close();
    }
  }
}
