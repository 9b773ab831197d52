package dev.magpie.engine.store;

import dev.magpie.engine.io.ChecksummedFileWriter;
import dev.magpie.engine.io.ChecksummedFileWriter.WrittenFile;
import dev.magpie.engine.io.FileFormat;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;

/**
 * Streams a {@link StringColumn} to disk: values are appended as UTF-8 in ordinal order, and the
 * offsets (8 bytes per value, kept on the heap while writing) follow them at {@link #finish()}.
 */
public final class StringColumnWriter implements Closeable {
  private final ChecksummedFileWriter out;
  private final LongArrayList offsets = new LongArrayList();
  private long dataLength;

  private StringColumnWriter(ChecksummedFileWriter out) {
    this.out = out;
    offsets.add(0L);
  }

  /** Creates a string column file. */
  public static StringColumnWriter create(Path path) throws IOException {
    return new StringColumnWriter(
        ChecksummedFileWriter.create(path, StringColumn.KIND, StringColumn.VERSION));
  }

  /** Appends a value. */
  public void add(String value) throws IOException {
    add(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Appends a value already encoded as UTF-8. */
  public void add(byte[] utf8) throws IOException {
    add(utf8, 0, utf8.length);
  }

  /** Appends {@code length} UTF-8 bytes of {@code utf8} from {@code offset}. */
  public void add(byte[] utf8, int offset, int length) throws IOException {
    out.writeBytes(utf8, offset, length);
    dataLength += length;
    offsets.add(dataLength);
  }

  /** Values written so far. */
  public int size() {
    return offsets.size() - 1;
  }

  /** Writes the offsets, parameters and footer, syncs and closes. */
  public WrittenFile finish() throws IOException {
    out.alignTo(Long.BYTES);
    long offsetsStart = out.position() - FileFormat.HEADER_LENGTH;
    for (int i = 0; i < offsets.size(); i++) {
      out.writeLong(offsets.get(i));
    }
    return out.finish(size(), dataLength, offsetsStart);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
