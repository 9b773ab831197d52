package dev.magpie.cli.query;

import dev.magpie.client.MagpieClient;
import dev.magpie.engine.catalog.Money;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where a running server is and how to talk to it: the options of every command that calls one
 * ({@code magpie query}, {@code magpie bench load}), as a picocli mixin.
 */
public final class ConnectionOptions {
  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Server address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "7420",
      description = "Server port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description = "API key (default: $MAGPIE_API_KEY; none when unset).")
  String key;

  @Option(
      names = "--tls-ca",
      paramLabel = "PEM",
      description = "Talk TLS, trusting the certificates in PEM.")
  Path tlsCa;

  @Option(
      names = "--deadline-ms",
      defaultValue = "10000",
      description = "Each call's deadline (default: ${DEFAULT-VALUE}).")
  long deadlineMs;

  @Option(
      names = "--currency",
      defaultValue = "USD",
      paramLabel = "CODE",
      description = "Currency of the prices given on the command line (default: ${DEFAULT-VALUE}).")
  String currency;

  /** The server's address. */
  public String host() {
    return host;
  }

  /** The server's port. */
  public int port() {
    return port;
  }

  /** Each call's deadline. */
  public Duration deadline() {
    return Duration.ofMillis(deadlineMs);
  }

  /** The currency of prices typed on the command line. */
  public String currency() {
    return currency;
  }

  /** A client with these settings, retrying refused calls at most {@code maxRetries} times. */
  public MagpieClient open(int maxRetries) throws IOException {
    if (deadlineMs < 1) {
      throw new IllegalArgumentException("--deadline-ms must be 1 or more, got " + deadlineMs);
    }
    String apiKey = key != null ? key : System.getenv("MAGPIE_API_KEY");
    return MagpieClient.connect(host, port)
        .apiKey(apiKey)
        .tls(tlsCa)
        .deadline(deadline())
        .maxRetries(maxRetries)
        .build();
  }

  /** "150" or "149.99" in major units as minor units of {@link #currency()}. */
  public long minor(String option, String value) {
    try {
      return Money.minorUnits(new BigDecimal(value), currency);
    } catch (ArithmeticException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option
              + ": '"
              + value
              + "' is not a price in "
              + currency
              + " (major units, e.g. 149.99)",
          e);
    }
  }
}
