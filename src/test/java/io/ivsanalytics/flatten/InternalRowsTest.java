package io.ivsanalytics.flatten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.junit.jupiter.api.Test;

/** The direct conversion gives exactly the rows Spark's Row encoder gives, and the files split by path. */
class InternalRowsTest {

  @Test
  void sameBytesAsSparksRowEncoderForEveryFixture() {
    List<Row> rows = new ArrayList<>();
    for (String name : Fixtures.DOCUMENTS) {
      rows.add(SessionParser.parseText(Fixtures.text(name), name, name, rows.size(), Fixtures.MTIME));
    }
    for (String line : Fixtures.text(Fixtures.ARCHIVE_LINES).split("\n")) {
      if (!line.isBlank()) {
        rows.add(SessionParser.parseText(line, "archive", "archive", rows.size(), Fixtures.MTIME));
      }
    }
    assertTrue(rows.stream().anyMatch(r -> !r.isNullAt(r.fieldIndex(RecordSchema.ERROR))), "an error row is covered");
    assertTrue(rows.stream().anyMatch(r -> r.getSeq(r.fieldIndex(RecordSchema.TRACKS)).size() > 1), "tracks covered");

    ExpressionEncoder.Serializer<Row> spark =
        ((ExpressionEncoder<Row>) Encoders.row(RecordSchema.RECORD)).createSerializer();
    UnsafeProjection unsafe = UnsafeProjection.create(RecordSchema.RECORD);
    InternalRows direct = new InternalRows(RecordSchema.RECORD);
    for (Row r : rows) {
      UnsafeRow expected = ((UnsafeRow) spark.apply(r)).copy();
      InternalRow ours = direct.convert(r);
      assertEquals(expected, unsafe.apply(ours), () -> "differs for " + r);
    }
  }

  @Test
  void balanceKeepsPathOrderInRunsOfSimilarSize() {
    List<InputFiles.InputFile> files = new ArrayList<>();
    for (int d = 1; d <= 30; d++) {
      for (int p = 0; p < 3; p++) {
        String path = String.format(java.util.Locale.ROOT, "/raw/dt=2024-05-%02d/part-%05d.jsonl.gz", d, p);
        files.add(new InputFiles.InputFile(path, 1000 + 37L * ((d * 3 + p) % 11), 0, files.size()));
      }
    }
    List<InputFiles.InputFile> shuffled = new ArrayList<>(files);
    java.util.Collections.reverse(shuffled);
    List<List<InputFiles.InputFile>> groups = InputFiles.balance(shuffled, 8);

    assertEquals(8, groups.size());
    List<InputFiles.InputFile> concatenated = new ArrayList<>();
    groups.forEach(concatenated::addAll);
    assertEquals(files, concatenated, "every file once, in path order");
    long total = files.stream().mapToLong(InputFiles.InputFile::length).sum();
    for (List<InputFiles.InputFile> g : groups) {
      assertFalse(g.isEmpty());
      long size = g.stream().mapToLong(InputFiles.InputFile::length).sum();
      assertTrue(Math.abs(size - total / 8.0) <= 1200, "group size " + size + " of " + total);
    }
    assertEquals(3, InputFiles.balance(files.subList(0, 3), 8).size(), "one file per group when few files");
  }
}
