package dev.magpie.engine.testing;

import dev.magpie.engine.io.FileOps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real file system with one fault armed at a time: every fsync, every write, every rename
 * fails, or the disk fills up (writes go through until a byte budget is spent, the last one cut
 * short, then each fails with "No space left on device"). Thread-safe; armed and disarmed while in
 * use. Counts the faults it caused, so a test can tell that the fault was hit at all.
 */
public final class FaultyFileOps implements FileOps {
  /** What fails. */
  public enum Fault {
    /** Nothing: the real file system. */
    NONE,
    /** Every fsync of a file, open file or directory. */
    FSYNC,
    /** Every write to an open file, before any byte is written. */
    WRITE,
    /**
     * Writes while bytes of the budget remain, the one that crosses it partly; then every write.
     */
    DISK_FULL,
    /** Every atomic rename. */
    RENAME,
    /** One operation: the n-th write, fsync or rename after {@link #failOperation} armed it. */
    NTH
  }

  private final AtomicReference<Fault> armed = new AtomicReference<>(Fault.NONE);
  private final AtomicInteger caused = new AtomicInteger();
  private long bytesLeft;
  private final AtomicInteger operations = new AtomicInteger();
  private volatile int failing = -1;

  /** Arms {@code fault}; for {@link Fault#DISK_FULL}, see {@link #fillDiskAfter}. */
  public void arm(Fault fault) {
    if (fault == Fault.DISK_FULL) {
      fillDiskAfter(0);
    } else {
      armed.set(fault);
    }
  }

  /** Arms a full disk that still takes {@code bytes} more bytes. */
  public synchronized void fillDiskAfter(long bytes) {
    bytesLeft = bytes;
    armed.set(Fault.DISK_FULL);
  }

  /**
   * Arms the failure of operation {@code n} (0 for the next) among writes, fsyncs and renames; the
   * others go through. {@link #operations()} counts them from here, so a test can first count a
   * procedure's operations with {@code failOperation(Integer.MAX_VALUE)}, then fail each in turn.
   */
  public void failOperation(int n) {
    operations.set(0);
    failing = n;
    armed.set(Fault.NTH);
  }

  /** Operations seen since {@link #failOperation} armed the count. */
  public int operations() {
    return operations.get();
  }

  /** Back to the real file system. */
  public void disarm() {
    armed.set(Fault.NONE);
  }

  /** Operations failed so far (a write cut short counts once). */
  public int faultsCaused() {
    return caused.get();
  }

  @Override
  public int write(FileChannel channel, ByteBuffer source) throws IOException {
    Fault fault = armed.get();
    if (fault == Fault.WRITE) {
      throw injected("write failed: input/output error");
    }
    if (fault == Fault.DISK_FULL) {
      return writeWithinBudget(channel, source);
    }
    failIf(Fault.NTH, "write failed: input/output error");
    return FileOps.super.write(channel, source);
  }

  private synchronized int writeWithinBudget(FileChannel channel, ByteBuffer source)
      throws IOException {
    if (bytesLeft <= 0) {
      throw injected("No space left on device");
    }
    int fits = (int) Math.min(source.remaining(), bytesLeft);
    ByteBuffer part = source.duplicate();
    part.limit(part.position() + fits);
    int written = channel.write(part);
    source.position(source.position() + written);
    bytesLeft -= written;
    return written;
  }

  @Override
  public void force(FileChannel channel, boolean metadata) throws IOException {
    failIf(Fault.FSYNC, "fsync failed: input/output error");
    failIf(Fault.NTH, "fsync failed: input/output error");
    FileOps.super.force(channel, metadata);
  }

  @Override
  public void fsyncFile(Path file) throws IOException {
    failIf(Fault.FSYNC, "fsync of " + file + " failed: input/output error");
    failIf(Fault.NTH, "fsync of " + file + " failed: input/output error");
    FileOps.super.fsyncFile(file);
  }

  @Override
  public void fsyncDirectory(Path dir) throws IOException {
    failIf(Fault.FSYNC, "fsync of directory " + dir + " failed: input/output error");
    failIf(Fault.NTH, "fsync of directory " + dir + " failed: input/output error");
    FileOps.super.fsyncDirectory(dir);
  }

  @Override
  public void atomicMove(Path source, Path target) throws IOException {
    failIf(Fault.RENAME, "rename of " + source + " to " + target + " failed");
    failIf(Fault.NTH, "rename of " + source + " to " + target + " failed");
    FileOps.super.atomicMove(source, target);
  }

  private void failIf(Fault fault, String message) throws IOException {
    if (armed.get() != fault) {
      return;
    }
    if (fault != Fault.NTH || operations.getAndIncrement() == failing) {
      throw injected(message);
    }
  }

  private IOException injected(String message) {
    caused.incrementAndGet();
    return new IOException("injected: " + message);
  }
}
