package io.ivsanalytics.flatten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The files split into tasks by path and size. */
class InputFilesTest {

  @Test
  void balanceKeepsPathOrderInRunsOfSimilarSize() {
    List<InputFiles.InputFile> files = new ArrayList<>();
    for (int d = 1; d <= 30; d++) {
      for (int p = 0; p < 3; p++) {
        String path =
            String.format(java.util.Locale.ROOT, "/raw/dt=2024-05-%02d/part-%05d.jsonl.gz", d, p);
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
    assertEquals(
        3, InputFiles.balance(files.subList(0, 3), 8).size(), "one file per group when few files");
  }
}
