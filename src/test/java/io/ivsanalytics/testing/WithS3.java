package io.ivsanalytics.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class gets its own S3 API server (moto_server on a free loopback port) with {@link
 * #bucket} created, started before its first test and ended after its last. Injected as {@link
 * S3Bucket}, {@code MotoServer} or {@code AmazonS3} into static fields and parameters.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TestServers.class)
public @interface WithS3 {
  /** The bucket created on the fresh server. */
  String bucket() default "bucket";
}
