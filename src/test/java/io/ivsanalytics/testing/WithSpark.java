package io.ivsanalytics.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class uses the test JVM's shared {@code local[2]} SparkSession ({@link
 * io.ivsanalytics.TestSpark}): injected into static {@code SparkSession} fields before the first
 * test and into {@code SparkSession} parameters (the live session at the time of the call).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TestServers.class)
public @interface WithSpark {}
