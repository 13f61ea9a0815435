package io.ivsanalytics.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;
import org.apache.hadoop.util.Shell;

/**
 * Hadoop's checksummed local file system ({@code file:}), setting permissions through {@code
 * java.nio} where Hadoop would start a {@code chmod} process. Without Hadoop's native library (the
 * usual case outside a Hadoop install), Hadoop's local file system runs {@code chmod} once per file
 * it creates (and once per checksum file) and once per directory: hundreds of processes for one
 * flatten. This one sets the same mode bits in process; with the native library, on Windows, or for
 * a mode {@code java.nio} cannot express (sticky, setuid, setgid) it is Hadoop's own. Local mode
 * uses it for {@code file:} ({@link io.ivsanalytics.config.SparkSessions}).
 */
public class NioLocalFileSystem extends LocalFileSystem {
  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** The raw local file system under {@link NioLocalFileSystem}. */
  public static class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      short mode = permission.toShort();
      if (NativeIO.isAvailable() || Shell.WINDOWS || (mode & ~0777) != 0) {
        super.setPermission(p, permission);
        return;
      }
      Files.setPosixFilePermissions(pathToFile(p).toPath(), permissions(mode));
    }
  }

  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OTHERS_EXECUTE,
    PosixFilePermission.OTHERS_WRITE,
    PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE,
    PosixFilePermission.GROUP_WRITE,
    PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE,
    PosixFilePermission.OWNER_WRITE,
    PosixFilePermission.OWNER_READ
  };

  /** The permissions of the low nine bits of {@code mode} (0644: rw-r--r--). */
  static Set<PosixFilePermission> permissions(short mode) {
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    for (int bit = 0; bit < BITS.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        out.add(BITS[bit]);
      }
    }
    return out;
  }
}
