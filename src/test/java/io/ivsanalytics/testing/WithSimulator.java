package io.ivsanalytics.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class gets one IVS simulator, started before its first test on a free loopback port and
 * closed after its last. Its fleet and initial knobs come from the static no-argument method named
 * by {@link #value} (returning a {@code SimulatorConfig} or a {@code SimulatorConfig.Builder}); it
 * is injected into static {@code IvsSimulator} fields and into {@code IvsSimulator} parameters.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TestServers.class)
public @interface WithSimulator {
  /** The static factory method of the test class that builds the simulator's configuration. */
  String value() default "simulatorConfig";
}
