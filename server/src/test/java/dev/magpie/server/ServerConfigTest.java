package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A configuration is checked as a whole when built, each refusal naming the setting and value. */
class ServerConfigTest {
  @Test
  void theDefaultsServeOnLoopbackOnAnyPort() {
    ServerConfig config = ServerConfig.builder().build();
    assertEquals("127.0.0.1", config.host());
    assertEquals(0, config.port());
    assertEquals(2, config.threads());
    assertEquals(Duration.ZERO, config.cacheTtl());
    assertEquals(config, config.toBuilder().build());
  }

  @Test
  void everyBadSettingIsRefusedByName() {
    refused("port must be from 0 (any free one) to 65535, got 70000", b -> b.port(70_000));
    refused("threads must be from 1 to 1024, got 0", b -> b.threads(0));
    refused("host must be an address, got ' '", b -> b.host(" "));
    refused("maxConcurrency must be 0 (adaptive) or more, got -1", b -> b.maxConcurrency(-1));
    refused(
        "rate limit must be 0 (none) or more calls per second, got NaN",
        b -> b.rateLimit(Double.NaN, 1));
    refused(
        "rate limit burst must be 1 or more calls with a rate limit, got 0",
        b -> b.rateLimit(5, 0));
    refused("cacheTtl must be zero or more, got PT-1S", b -> b.cacheTtl(Duration.ofSeconds(-1)));
    refused("models: both are required", b -> b.models(null, null));
  }

  private static void refused(String problem, UnaryOperator<ServerConfig.Builder> setting) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> setting.apply(ServerConfig.builder()).build());
    assertEquals("server configuration: " + problem, e.getMessage());
  }
}
