package io.ivsanalytics.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class SchemasInitTest {
  /** Loading Table before Schemas once failed with an NPE in Schemas' initialiser. */
  @Test
  void tableCanBeInitialisedBeforeSchemas() throws Exception {
    URL classes = Schemas.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader fresh =
        new URLClassLoader(new URL[] {classes}, Schemas.class.getClassLoader().getParent()) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.ivsanalytics.model.")) {
              synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
              }
            }
            return Schemas.class.getClassLoader().loadClass(name);
          }
        }) {
      Class<?> table = Class.forName("io.ivsanalytics.model.Schemas$Table", true, fresh);
      Object sessions = table.getEnumConstants()[0];
      Object schema = table.getMethod("schema").invoke(sessions);
      Class<?> schemas = Class.forName("io.ivsanalytics.model.Schemas", true, fresh);
      assertSame(schemas.getField("SESSIONS").get(null), schema);
      assertEquals(5, ((java.util.List<?>) schemas.getField("TABLES").get(null)).size());
    }
  }
}
