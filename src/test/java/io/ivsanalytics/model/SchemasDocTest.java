package io.ivsanalytics.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ivsanalytics.model.Schemas.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

/** docs/tables.md lists every table's columns and types as Schemas declares them, in order. */
class SchemasDocTest {
  @Test
  void docsListTheDeclaredColumns() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("docs", "tables.md"), StandardCharsets.UTF_8);
    for (Table table : Table.values()) {
      List<String> declared = new ArrayList<>();
      for (StructField f : table.schema().fields()) {
        declared.add(f.name() + " " + f.dataType().simpleString());
      }
      assertEquals(
          declared,
          documented(lines, table.dirName()),
          "docs/tables.md, section ## " + table.dirName());
    }
  }

  /** The {@code | `column` | type | ...} rows of the section {@code ## name}. */
  static List<String> documented(List<String> lines, String name) {
    List<String> cols = new ArrayList<>();
    boolean in = false;
    for (String line : lines) {
      if (line.startsWith("## ")) {
        in = line.substring(3).strip().equals(name);
      } else if (in && line.startsWith("| `")) {
        String[] cells = line.split("\\|");
        cols.add(cells[1].strip().replace("`", "") + " " + cells[2].strip());
      }
    }
    return cols;
  }
}
