package io.ivsanalytics.testing;

import com.amazonaws.services.s3.AmazonS3;
import io.ivsanalytics.TestSpark;
import io.ivsanalytics.lake.MotoServer;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The extension behind {@link WithSimulator}, {@link WithSpark} and {@link WithS3}: before a test
 * class's first test it starts what the class asks for, keeps it in the class's {@link
 * ExtensionContext.Store} (an {@code AutoCloseable} there is closed when the class's context
 * closes: after its {@code @AfterAll} methods) and injects it into the class's static fields of the
 * matching type; test and lifecycle method parameters of those types are resolved from the nearest
 * enclosing class that asked. A second class gets its own simulator and S3 server; the SparkSession
 * is the test JVM's one ({@link TestSpark}).
 */
public final class TestServers implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(TestServers.class);
  private static final String SIM = "simulator";
  private static final String S3 = "s3";

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    ExtensionContext.Store store = context.getStore(NS);
    Optional<WithS3> s3 = AnnotationSupport.findAnnotation(testClass, WithS3.class);
    if (s3.isPresent()) {
      store.put(S3, S3Bucket.start(s3.get().bucket()));
    }
    Optional<WithSimulator> sim = AnnotationSupport.findAnnotation(testClass, WithSimulator.class);
    if (sim.isPresent()) {
      store.put(SIM, IvsSimulator.start(simulatorConfig(testClass, sim.get().value())));
    }
    if (AnnotationSupport.isAnnotated(testClass, WithSpark.class)) {
      inject(testClass, SparkSession.class, TestSpark.session());
    }
    S3Bucket bucket = get(context, S3, S3Bucket.class);
    if (s3.isPresent() && bucket != null) {
      inject(testClass, S3Bucket.class, bucket);
      inject(testClass, MotoServer.class, bucket.moto());
      inject(testClass, AmazonS3.class, bucket.client());
    }
    IvsSimulator simulator = get(context, SIM, IvsSimulator.class);
    if (sim.isPresent() && simulator != null) {
      inject(testClass, IvsSimulator.class, simulator);
    }
  }

  private static SimulatorConfig simulatorConfig(Class<?> testClass, String methodName) {
    Method m =
        ReflectionSupport.findMethod(testClass, methodName)
            .orElseThrow(
                () ->
                    new ExtensionConfigurationException(
                        "@WithSimulator on "
                            + testClass.getName()
                            + ": no static no-argument method '"
                            + methodName
                            + "' returning a SimulatorConfig or its Builder"));
    if (!Modifier.isStatic(m.getModifiers())) {
      throw new ExtensionConfigurationException(
          "@WithSimulator on "
              + testClass.getName()
              + ": method '"
              + methodName
              + "' must be static");
    }
    Object v = ReflectionSupport.invokeMethod(m, null);
    if (v instanceof SimulatorConfig c) {
      return c;
    }
    if (v instanceof SimulatorConfig.Builder b) {
      return b.build();
    }
    throw new ExtensionConfigurationException(
        "@WithSimulator on "
            + testClass.getName()
            + ": method '"
            + methodName
            + "' returned "
            + (v == null ? "null" : v.getClass().getName())
            + ", not a SimulatorConfig or SimulatorConfig.Builder");
  }

  /**
   * Sets the static, non-final fields of exactly {@code type} declared in the class or its
   * superclasses.
   */
  private static <T> void inject(Class<?> testClass, Class<T> type, T value)
      throws IllegalAccessException {
    for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        int mod = f.getModifiers();
        if (f.getType() == type && Modifier.isStatic(mod) && !Modifier.isFinal(mod)) {
          f.setAccessible(true);
          f.set(null, value);
        }
      }
    }
  }

  private static <T> T get(ExtensionContext context, String key, Class<T> type) {
    return context.getStore(NS).get(key, type);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
    Class<?> t = parameterContext.getParameter().getType();
    if (t == SparkSession.class) {
      return enclosing(context).stream()
          .anyMatch(c -> AnnotationSupport.isAnnotated(c, WithSpark.class));
    }
    if (t == IvsSimulator.class) {
      return get(context, SIM, IvsSimulator.class) != null;
    }
    if (t == S3Bucket.class || t == MotoServer.class || t == AmazonS3.class) {
      return get(context, S3, S3Bucket.class) != null;
    }
    return false;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    Class<?> t = parameterContext.getParameter().getType();
    if (t == SparkSession.class) {
      return TestSpark.session();
    }
    if (t == IvsSimulator.class) {
      return get(context, SIM, IvsSimulator.class);
    }
    S3Bucket bucket = get(context, S3, S3Bucket.class);
    if (t == S3Bucket.class) {
      return bucket;
    }
    if (t == MotoServer.class) {
      return bucket.moto();
    }
    if (t == AmazonS3.class) {
      return bucket.client();
    }
    throw new ParameterResolutionException("not a test server type: " + t.getName());
  }

  private static java.util.List<Class<?>> enclosing(ExtensionContext context) {
    java.util.List<Class<?>> out = new java.util.ArrayList<>();
    for (Optional<ExtensionContext> c = Optional.of(context);
        c.isPresent();
        c = c.get().getParent()) {
      c.get().getTestClass().ifPresent(out::add);
    }
    return out;
  }
}
