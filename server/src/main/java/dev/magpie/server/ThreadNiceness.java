package dev.magpie.server;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Lowers the scheduling priority of the calling thread alone (Linux: {@code setpriority} on its
 * thread id, through the FFM API). The request pool's threads run searches that can fill every
 * core; at a higher niceness they yield the CPU to the network threads, which then read, refuse
 * (shed) and answer calls without waiting for a time slice behind them. Raising niceness needs no
 * privilege. Elsewhere than Linux, or when the C library lacks the calls, it does nothing.
 */
@SuppressWarnings("restricted")
final class ThreadNiceness {
  private static final Logger LOG = Logger.getLogger(ThreadNiceness.class.getName());
  private static final int PRIO_PROCESS = 0;
  private static final MethodHandle GETTID;
  private static final MethodHandle SETPRIORITY;

  static {
    MethodHandle gettid = null;
    MethodHandle setpriority = null;
    if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      Linker linker = Linker.nativeLinker();
      SymbolLookup libc = linker.defaultLookup();
      gettid =
          libc.find("gettid")
              .map(a -> linker.downcallHandle(a, FunctionDescriptor.of(ValueLayout.JAVA_INT)))
              .orElse(null);
      setpriority =
          libc.find("setpriority")
              .map(
                  a ->
                      linker.downcallHandle(
                          a,
                          FunctionDescriptor.of(
                              ValueLayout.JAVA_INT,
                              ValueLayout.JAVA_INT,
                              ValueLayout.JAVA_INT,
                              ValueLayout.JAVA_INT)))
              .orElse(null);
    }
    GETTID = gettid;
    SETPRIORITY = setpriority;
  }

  private ThreadNiceness() {}

  /**
   * Sets the calling thread's niceness to {@code niceness} (0 to 19); true when it was set. A
   * failure is logged and left: the thread keeps running at its priority.
   */
  static boolean setCurrent(int niceness) {
    if (niceness < 0 || niceness > 19) {
      throw new IllegalArgumentException("niceness must be 0 to 19, got " + niceness);
    }
    if (GETTID == null || SETPRIORITY == null) {
      return false;
    }
    try {
      int tid = (int) GETTID.invokeExact();
      int rc = (int) SETPRIORITY.invokeExact(PRIO_PROCESS, tid, niceness);
      if (rc != 0) {
        LOG.warning(
            "setpriority("
                + tid
                + ", "
                + niceness
                + ") failed; "
                + Thread.currentThread().getName()
                + " keeps its priority");
      }
      return rc == 0;
    } catch (Throwable e) {
      LOG.warning("cannot set the niceness of " + Thread.currentThread().getName() + ": " + e);
      return false;
    }
  }

  /** The calling thread's niceness as the kernel reports it, or -1 when it cannot be read. */
  static int current() {
    if (GETTID == null) {
      return -1;
    }
    try {
      int tid = (int) GETTID.invokeExact();
      String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
      // Fields after the command name in parentheses: state is field 3, nice field 19.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Integer.parseInt(fields[16]);
    } catch (Throwable e) {
      return -1;
    }
  }
}
