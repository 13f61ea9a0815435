package io.ivsanalytics.flatten;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsanalytics.lake.LakeFs;
import io.ivsanalytics.model.LakePaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish protocol of a flatten run. Every new file of a run is first written under {@code
 * LAKE/_staging/<run>/}; nothing in a table changes before the run's manifest ({@code
 * _staging/<run>/_manifest.json}: the files to move into the tables and the files to delete from
 * them) has been written completely. Publishing moves the files (a copy where a rename is one) and
 * deletes the replaced ones; every step is idempotent, so a run killed at any moment is completed
 * from its manifest by the next run on the lake ({@link #recover}), and a run killed before its
 * manifest exists is rolled back by deleting its staging directory. A manifest that cannot be
 * parsed (killed while it was written) counts as absent.
 */
final class LakeCommit {
  private static final Logger LOG = LoggerFactory.getLogger(LakeCommit.class);
  static final String STAGING = "_staging";
  static final String MANIFEST = "_manifest.json";

  /** Test hook: the JVM halts itself (as a SIGKILL would end it) at the named point. */
  static final String HALT_AT = "ivs.flatten.haltAt";

  /** One file to move into a table: staged path → lake path. */
  record Move(String from, String to) {}

  /** What a run publishes. */
  record Manifest(String run, List<Move> moves, List<String> deletes, Set<String> tables) {}

  private final LakeFs fs;
  private final LakeFiles files;

  LakeCommit(LakeFs fs) {
    this.fs = fs;
    this.files = new LakeFiles(fs);
  }

  /** Halts the JVM when the test hook names {@code point} (never set in production). */
  static void haltPoint(String point) {
    String at = System.getProperty(HALT_AT);
    if (at != null && at.equals(point)) {
      LOG.warn("flatten: halting at {} (test hook {})", point, HALT_AT);
      Runtime.getRuntime().halt(137);
    }
  }

  static String stagingRoot(String lake) {
    return LakePaths.child(lake, STAGING);
  }

  /**
   * Completes every run whose manifest is complete and rolls back every other staging directory
   * (runs killed before they committed). Only one flatten may run on a lake at a time.
   */
  void recover(String lake) {
    String root = stagingRoot(lake);
    for (FileStatus st : files.list(root)) {
      if (!st.isDirectory()) {
        continue;
      }
      String dir = st.getPath().toString();
      Manifest m = read(LakePaths.child(dir, MANIFEST));
      if (m != null) {
        LOG.warn("flatten: completing the interrupted run {} from its manifest", m.run());
        publish(m);
        finish(dir);
      } else {
        LOG.warn("flatten: rolling back the interrupted run staged in {}", dir);
        files.delete(dir);
      }
    }
    files.deleteIfEmpty(root);
  }

  /** Writes the manifest: from here on the run is committed. */
  void commit(String stagingDir, Manifest m) {
    ObjectNode root = SessionParser.MAPPER.createObjectNode();
    root.put("run", m.run());
    ArrayNode moves = root.putArray("moves");
    for (Move mv : m.moves()) {
      moves.addArray().add(mv.from()).add(mv.to());
    }
    ArrayNode deletes = root.putArray("deletes");
    m.deletes().forEach(deletes::add);
    ArrayNode tables = root.putArray("tables");
    m.tables().forEach(tables::add);
    root.put("complete", true);
    byte[] bytes;
    try {
      bytes = SessionParser.MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    try {
      fs.writeFile(stagingDir, MANIFEST, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + LakePaths.child(stagingDir, MANIFEST), e);
    }
  }

  /** The manifest at {@code path}, or null when it is absent or incomplete. */
  Manifest read(String path) {
    JsonNode root;
    try {
      if (!fs.exists(path)) {
        return null;
      }
      root = SessionParser.MAPPER.readTree(new String(fs.readAll(path), StandardCharsets.UTF_8));
    } catch (FileNotFoundException e) {
      return null;
    } catch (JsonProcessingException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    if (root == null || !root.path("complete").asBoolean(false)) {
      return null;
    }
    List<Move> moves = new ArrayList<>();
    for (JsonNode mv : root.path("moves")) {
      moves.add(new Move(mv.get(0).asText(), mv.get(1).asText()));
    }
    List<String> deletes = new ArrayList<>();
    root.path("deletes").forEach(n -> deletes.add(n.asText()));
    Set<String> tables = new LinkedHashSet<>();
    root.path("tables").forEach(n -> tables.add(n.asText()));
    return new Manifest(root.path("run").asText(), moves, deletes, tables);
  }

  /**
   * Moves the new files in, then deletes the replaced ones and the partition directories left
   * empty, then marks each table written ({@code _SUCCESS}). Repeatable: a file already moved or
   * deleted is skipped.
   */
  void publish(Manifest m) {
    try {
      int done = 0;
      for (Move mv : m.moves()) {
        if (fs.exists(mv.from())) {
          if (fs.exists(mv.to())) {
            fs.delete(mv.to());
          }
          String parent = new Path(mv.to()).getParent().toString();
          if (!fs.isObjectStore(parent)) {
            fs.mkdirs(parent);
          }
          fs.rename(mv.from(), mv.to());
        } else if (!fs.exists(mv.to())) {
          throw new IOException(
              "staged file " + mv.from() + " is gone and " + mv.to() + " does not exist");
        }
        if (++done == (m.moves().size() + 1) / 2) {
          haltPoint("publishing");
        }
      }
      haltPoint("moved");
      TreeSet<String> dirs = new TreeSet<>();
      for (String d : m.deletes()) {
        fs.delete(d);
        dirs.add(new Path(d).getParent().toString());
      }
      for (String d : dirs) {
        files.deleteIfEmpty(d);
      }
      for (String t : m.tables()) {
        fs.writeFile(t, "_SUCCESS", new byte[0]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish run " + m.run(), e);
    }
  }

  /** Removes the manifest (the run is done), then the rest of the staging directory. */
  void finish(String stagingDir) {
    files.delete(LakePaths.child(stagingDir, MANIFEST));
    files.delete(stagingDir);
    files.deleteIfEmpty(new Path(stagingDir).getParent().toString());
  }

  /** Rolls back a run that has not committed. */
  void abandon(String stagingDir) {
    if (read(LakePaths.child(stagingDir, MANIFEST)) == null) {
      files.delete(stagingDir);
      files.deleteIfEmpty(new Path(stagingDir).getParent().toString());
    }
  }
}
