package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.InvalidRequestException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A call's failure becomes a status by its type alone: a caller's mistake is INVALID_ARGUMENT with
 * the message naming field and value; anything else is INTERNAL with an error id and nothing of the
 * exception's message, which is logged under the same id.
 */
class FailureStatusTest {
  @Test
  void aCallersMistakeIsInvalidArgumentWithItsMessage() {
    Status status = statusOf(new InvalidRequestException("k", "must be from 1 to 1000, got 0"));
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
    assertEquals("k: must be from 1 to 1000, got 0", status.getDescription());
  }

  @Test
  void anyOtherExceptionIsInternalWithAnIdAndNoMessageAndIsLoggedUnderThatId() {
    Logger log = Logger.getLogger(MagpieService.class.getName());
    List<LogRecord> records = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    boolean parent = log.getUseParentHandlers();
    log.setUseParentHandlers(false);
    log.addHandler(handler);
    try {
      for (Throwable failure :
          List.of(
              new IllegalArgumentException("secret: /var/lib/magpie/private"),
              new IllegalStateException("secret: /var/lib/magpie/private"),
              new UncheckedIOException(new IOException("secret: /var/lib/magpie/private")))) {
        records.clear();
        Status status = statusOf(failure);
        assertEquals(Status.Code.INTERNAL, status.getCode(), failure.toString());
        assertFalse(status.getDescription().contains("secret"), status.getDescription());
        assertNull(status.getCause(), "nothing of the exception travels with the status");
        String id = status.getDescription().replaceAll(".*(E-[0-9a-f]{8}).*", "$1");
        assertTrue(id.matches("E-[0-9a-f]{8}"), status.getDescription());
        assertEquals(1, records.size());
        assertTrue(records.getFirst().getMessage().contains(id), records.getFirst().getMessage());
        assertEquals(failure, records.getFirst().getThrown());
      }
    } finally {
      log.removeHandler(handler);
      log.setUseParentHandlers(parent);
    }
  }

  private static Status statusOf(Throwable failure) {
    List<Throwable> errors = new ArrayList<>();
    MagpieService.fail(
        new StreamObserver<Object>() {
          @Override
          public void onNext(Object value) {
            throw new AssertionError("no answer expected");
          }

          @Override
          public void onError(Throwable t) {
            errors.add(t);
          }

          @Override
          public void onCompleted() {
            throw new AssertionError("no completion expected");
          }
        },
        failure);
    assertEquals(1, errors.size());
    return Status.fromThrowable(errors.getFirst());
  }
}
