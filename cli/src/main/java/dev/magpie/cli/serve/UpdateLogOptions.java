package dev.magpie.cli.serve;

import dev.magpie.server.ServerConfig;
import picocli.CommandLine.Option;

/**
 * The cluster's update log on Kafka, as {@code serve} (a shard replica follows it) and {@code
 * route} (the router publishes writes to it) name it.
 */
public final class UpdateLogOptions {
  @Option(
      names = "--updates-kafka",
      paramLabel = "HOST:PORT[,...]",
      description =
          "The cluster's update log on this Kafka cluster: a shard replica follows its shard's"
              + " partition of --updates-topic instead of keeping a write-ahead log; a router"
              + " publishes UpdateItems there.")
  String bootstrap;

  @Option(
      names = "--updates-topic",
      defaultValue = "magpie-updates",
      paramLabel = "TOPIC",
      description =
          "The catalog's update topic, one partition per shard (default: ${DEFAULT-VALUE}).")
  String topic;

  /** Whether an update log was named. */
  boolean given() {
    return bootstrap != null;
  }

  /** The update log named, or null. */
  ServerConfig.UpdateLog log() {
    return bootstrap == null ? null : new ServerConfig.UpdateLog(bootstrap, topic);
  }

  /** "TOPIC on HOST:PORT". */
  @Override
  public String toString() {
    return topic + " on " + bootstrap;
  }
}
