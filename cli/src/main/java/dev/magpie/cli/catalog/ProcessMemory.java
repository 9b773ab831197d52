package dev.magpie.cli.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * This process's memory as the OS and the JVM see it: resident anonymous memory (heap, native
 * allocations), resident file-backed memory (mapped snapshot pages that have been touched) and heap
 * in use. Read from {@code /proc/self/status}; elsewhere only the heap is known.
 */
final class ProcessMemory {
  private ProcessMemory() {}

  /** One line describing the process's memory now. */
  static String describe() {
    Runtime rt = Runtime.getRuntime();
    long heapUsed = rt.totalMemory() - rt.freeMemory();
    String heap = String.format(Locale.ROOT, "heap used %s", ItemTable.bytes(heapUsed));
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return heap;
    }
    try {
      long anon = -1;
      long file = -1;
      long rss = -1;
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        } else if (line.startsWith("RssAnon:")) {
          anon = kib(line);
        } else if (line.startsWith("RssFile:")) {
          file = kib(line);
        }
      }
      return String.format(
          Locale.ROOT,
          "resident %s (anonymous %s, file-backed %s), %s",
          ItemTable.bytes(rss),
          ItemTable.bytes(anon),
          ItemTable.bytes(file),
          heap);
    } catch (IOException | RuntimeException e) {
      return heap;
    }
  }

  private static long kib(String line) {
    String[] parts = line.trim().split("\\s+");
    return Long.parseLong(parts[1]) * 1024;
  }
}
