package io.ivsanalytics.flatten;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Snappy page compression between two arrays the writer keeps: the same raw Snappy blocks
 * parquet-mr's codec writes, without its per-page stream and buffers (parquet-mr builds a codec
 * stream with its own buffer for every page, and copies each page through direct buffers). Like
 * parquet-mr's compressors, the bytes a call returns are valid until the next call; the page store
 * copies them before that. One instance per file writer: not thread-safe.
 */
@SuppressWarnings("deprecation") // the compressor type parquet-mr 1.13's page store takes
final class SnappyPages extends CodecFactory.BytesCompressor {
  /** A page's uncompressed bytes, gathered from its parts (levels, values). */
  private final Page page = new Page();

  private byte[] compressed = new byte[0];

  @Override
  public BytesInput compress(BytesInput bytes) throws IOException {
    page.reset();
    bytes.writeAllTo(page);
    int max = Snappy.maxCompressedLength(page.size());
    if (compressed.length < max) {
      compressed = new byte[max];
    }
    int n = Snappy.compress(page.bytes(), 0, page.size(), compressed, 0);
    return BytesInput.from(compressed, 0, n);
  }

  @Override
  public CompressionCodecName getCodecName() {
    return CompressionCodecName.SNAPPY;
  }

  @Override
  public void release() {
    compressed = new byte[0];
  }

  private static final class Page extends ByteArrayOutputStream {
    Page() {
      super(64 * 1024);
    }

    byte[] bytes() {
      return buf;
    }
  }
}
