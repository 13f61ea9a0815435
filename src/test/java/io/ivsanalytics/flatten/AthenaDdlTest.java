package io.ivsanalytics.flatten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.TestSpark;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/athena/*.sql against Schemas and against the Parquet files the stage actually writes. */
class AthenaDdlTest {
  private static final Pattern COLUMN = Pattern.compile("^\\s*`(\\w+)`\\s+([a-z<>,]+?),?\\s*$");
  @TempDir static Path tmp;
  static Path lake;

  @BeforeAll
  static void writeLake() throws Exception {
    Fixtures.install(tmp);
    lake = tmp.resolve("lake");
    FlattenStage.run(
        TestSpark.session(),
        List.of(tmp.resolve("analyst").toString(), tmp.resolve("raw").toString()),
        lake.toString());
  }

  static String ddl(Table t) throws Exception {
    return Files.readString(
        Path.of("conf", "athena", t.dirName() + ".sql"), StandardCharsets.UTF_8);
  }

  /** Column name -> type between "CREATE EXTERNAL TABLE ... (" and ")". */
  static Map<String, String> columns(String ddl) {
    int create = ddl.indexOf("CREATE EXTERNAL TABLE");
    String body = ddl.substring(ddl.indexOf('(', create) + 1, ddl.indexOf("\n)", create));
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Matcher m = COLUMN.matcher(line);
      assertTrue(m.matches(), "unparsed DDL line: " + line);
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  static String athenaType(DataType t) {
    if (t.equals(DataTypes.StringType)) {
      return "string";
    } else if (t.equals(DataTypes.TimestampType)) {
      return "timestamp";
    } else if (t.equals(DataTypes.LongType)) {
      return "bigint";
    } else if (t.equals(DataTypes.IntegerType)) {
      return "int";
    } else if (t.equals(DataTypes.BooleanType)) {
      return "boolean";
    } else if (t instanceof MapType m) {
      return "map<" + athenaType(m.keyType()) + "," + athenaType(m.valueType()) + ">";
    } else if (t instanceof ArrayType a) {
      return "array<" + athenaType(a.elementType()) + ">";
    }
    throw new IllegalArgumentException("no Athena type for " + t);
  }

  /** The Athena type a Parquet field reads as. */
  static String athenaType(Type f) {
    if (f.isPrimitive()) {
      PrimitiveType p = f.asPrimitiveType();
      LogicalTypeAnnotation l = p.getLogicalTypeAnnotation();
      switch (p.getPrimitiveTypeName()) {
        case BINARY:
          assertTrue(l instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation, f.toString());
          return "string";
        case INT64:
          if (l instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
            assertEquals(LogicalTypeAnnotation.TimeUnit.MILLIS, ts.getUnit(), f.toString());
            return "timestamp";
          }
          return "bigint";
        case INT32:
          return "int";
        case BOOLEAN:
          return "boolean";
        default:
          throw new IllegalArgumentException(f.toString());
      }
    }
    GroupType g = f.asGroupType();
    GroupType repeated = g.getType(0).asGroupType();
    if (g.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
      return "map<" + athenaType(repeated.getType(0)) + "," + athenaType(repeated.getType(1)) + ">";
    }
    if (g.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
      return "array<" + athenaType(repeated.getType(0)) + ">";
    }
    throw new IllegalArgumentException(f.toString());
  }

  @Test
  void ddlColumnsAreTheSchemaColumns() throws Exception {
    for (Table t : Schemas.TABLES) {
      Map<String, String> expected = new LinkedHashMap<>();
      for (var f : t.fileSchema().fields()) {
        expected.put(f.name(), athenaType(f.dataType()));
      }
      assertEquals(expected, columns(ddl(t)), t.dirName());
    }
  }

  @Test
  void ddlColumnsAreWhatTheParquetFilesHold() throws Exception {
    for (Table t : Schemas.TABLES) {
      Path file;
      try (Stream<Path> s = Files.walk(lake.resolve(t.dirName()))) {
        file = s.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
      }
      MessageType schema;
      try (ParquetFileReader r =
          ParquetFileReader.open(
              HadoopInputFile.fromPath(
                  new org.apache.hadoop.fs.Path(file.toString()), new Configuration()))) {
        schema = r.getFooter().getFileMetaData().getSchema();
      }
      Map<String, String> inFile = new LinkedHashMap<>();
      for (Type f : schema.getFields()) {
        inFile.put(f.getName(), athenaType(f));
      }
      assertEquals(columns(ddl(t)), inFile, t.dirName() + " " + file);
    }
  }

  @Test
  void ddlDeclaresPartitionProjectionOnDt() throws Exception {
    for (Table t : Schemas.TABLES) {
      String d = ddl(t);
      String name = t.dirName();
      assertTrue(d.startsWith("--") || d.startsWith("CREATE"), name);
      assertTrue(d.contains("CREATE EXTERNAL TABLE IF NOT EXISTS " + name + " ("), name);
      assertTrue(d.contains("PARTITIONED BY (`dt` string)"), name);
      assertTrue(d.contains("STORED AS PARQUET"), name);
      assertTrue(d.contains("LOCATION 's3://YOUR-BUCKET/lake/" + name + "/'"), name);
      for (String prop :
          List.of(
              "'projection.enabled' = 'true'",
              "'projection.dt.type' = 'date'",
              "'projection.dt.format' = 'yyyy-MM-dd'",
              "'projection.dt.range' = '2020-01-01,NOW'",
              "'projection.dt.interval' = '1'",
              "'projection.dt.interval.unit' = 'DAYS'",
              "'storage.location.template' = 's3://YOUR-BUCKET/lake/" + name + "/dt=${dt}/'")) {
        assertTrue(d.contains(prop), name + " lacks " + prop);
      }
      // The template matches the directories Spark writes.
      assertTrue(Files.isDirectory(lake.resolve(name)) && hasDtDirs(lake.resolve(name)), name);
      assertEquals(
          d.toLowerCase(Locale.ROOT).indexOf("create external table"),
          d.toLowerCase(Locale.ROOT).lastIndexOf("create external table"));
    }
  }

  private static boolean hasDtDirs(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().matches("dt=\\d{4}-\\d{2}-\\d{2}"));
    }
  }
}
