package dev.magpie.cluster.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.shard.ShardFunction;
import dev.magpie.engine.testing.Seeded;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The update log against a real Kafka broker, in process on loopback (Kafka's own test kit): every
 * update lands in its item's shard's partition and every replica of that shard reads exactly those
 * updates in the order they were acknowledged; a record that does not decode is reported with its
 * offset and skipped; a replica that restarts from the offset it kept reads on without losing or
 * repeating anything.
 */
@Seeded
class UpdateLogTest {
  private static KafkaClusterTestKit kafka;
  private static String bootstrap;
  private static int topics;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumControllerNodes(1)
                    .setNumBrokerNodes(1)
                    .build())
            .build();
    kafka.format();
    kafka.startup();
    kafka.waitForReadyBrokers();
    bootstrap = kafka.bootstrapServers();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    kafka.close();
  }

  /** A new topic of {@code partitions} partitions. */
  private static UpdateTopic topic(int partitions) throws Exception {
    UpdateTopic topic = new UpdateTopic("updates-" + (++topics), partitions);
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      admin
          .createTopics(List.of(new NewTopic(topic.name(), partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      // Created is not yet led: wait until every partition has a leader, so that a slow broker
      // costs this wait and not the first publish's delivery timeout.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (admin
              .describeTopics(List.of(topic.name()))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(topic.name())
              .partitions()
              .stream()
              .anyMatch(info -> info.leader() == null || info.leader().isEmpty())
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    // And led as a producer sees it: its metadata comes from the broker's cache, which may learn
    // of the leaders after the controller (a publish then waits for them, on a busy machine up to
    // its delivery timeout: seen twice in CI).
    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, byte[]> probe =
        new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (probe.partitionsFor(topic.name()).stream().anyMatch(info -> info.leader() == null)
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    return topic;
  }

  private static List<LiveUpdate> updates(Random random, int count) {
    List<LiveUpdate> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String item = "item-" + random.nextInt(500);
      out.add(
          random.nextBoolean()
              ? new LiveUpdate.ItemChange(
                  item,
                  random.nextInt(10_000),
                  "USD",
                  random.nextInt(50),
                  LiveUpdate.Availability.UNCHANGED)
              : new LiveUpdate.Event(
                  "user-" + random.nextInt(50), item, EventType.VIEW, 1_700_000_000L + i));
    }
    return out;
  }

  private static PartitionFollower follow(
      UpdateTopic topic, int partition, long from, List<PartitionFollower.Applied> into) {
    return new PartitionFollower(
        bootstrap,
        topic,
        partition,
        from,
        into::addAll,
        bad -> {
          throw new AssertionError("no bad record expected: " + bad);
        });
  }

  @Test
  void everyReplicaReadsItsShardsUpdatesInOrder(Random random) throws Exception {
    UpdateTopic topic = topic(4);
    List<LiveUpdate> updates = updates(random, 400);
    List<UpdatePublisher.Acked> acked;
    try (UpdatePublisher publisher = new UpdatePublisher(bootstrap, topic, "test")) {
      acked = publisher.publish(updates).get(30, TimeUnit.SECONDS);
    }
    List<List<LiveUpdate>> expected = new ArrayList<>();
    long[] end = new long[4];
    for (int p = 0; p < 4; p++) {
      expected.add(new ArrayList<>());
    }
    for (int i = 0; i < updates.size(); i++) {
      // An item change goes to its item's shard, an event to its shopper's home shard.
      int shard =
          ShardFunction.shardOf(
              updates.get(i) instanceof LiveUpdate.Event e ? e.user() : updates.get(i).itemId(), 4);
      assertEquals(shard, acked.get(i).partition(), "update " + i + "'s partition");
      expected.get(shard).add(updates.get(i));
      end[shard] = Math.max(end[shard], acked.get(i).offset() + 1);
    }
    for (int p = 0; p < 4; p++) {
      List<List<PartitionFollower.Applied>> replicas =
          List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
      List<PartitionFollower> followers = new ArrayList<>();
      for (List<PartitionFollower.Applied> r : replicas) {
        followers.add(follow(topic, p, 0, r));
      }
      try {
        for (PartitionFollower f : followers) {
          assertTrue(f.awaitNextOffset(end[p], Duration.ofSeconds(30)), "partition " + p);
          assertNull(f.failure());
        }
        for (List<PartitionFollower.Applied> r : replicas) {
          assertEquals(expected.get(p), r.stream().map(PartitionFollower.Applied::update).toList());
        }
      } finally {
        for (PartitionFollower f : followers) {
          f.close();
        }
      }
    }
  }

  @Test
  void aPoisonRecordIsReportedAndSkipped(Random random) throws Exception {
    UpdateTopic topic = topic(2);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, byte[]> raw =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      raw.send(new ProducerRecord<>(topic.name(), 1, "x", new byte[] {1, 99, 0, 1})).get();
      raw.send(new ProducerRecord<>(topic.name(), 1, "x", new byte[] {7, 1})).get();
    }
    // A good record after the bad ones, on partition 1:
    String id = "after";
    for (int i = 0; ShardFunction.shardOf(id, 2) != 1; i++) {
      id = "after-" + i;
    }
    LiveUpdate good =
        new LiveUpdate.ItemChange(id, 100, "USD", 3, LiveUpdate.Availability.UNCHANGED);
    try (UpdatePublisher publisher = new UpdatePublisher(bootstrap, topic, "test")) {
      publisher.publish(List.of(good)).get(30, TimeUnit.SECONDS);
    }
    List<PartitionFollower.BadRecord> reported = new CopyOnWriteArrayList<>();
    List<PartitionFollower.Applied> applied = new CopyOnWriteArrayList<>();
    try (PartitionFollower follower =
        new PartitionFollower(bootstrap, topic, 1, 0, applied::addAll, reported::add)) {
      assertTrue(follower.awaitNextOffset(3, Duration.ofSeconds(30)));
      assertNull(follower.failure());
    }
    assertEquals(2, reported.size(), reported.toString());
    assertEquals(0, reported.get(0).offset());
    assertTrue(reported.get(0).reason().contains("unknown record type 99"), reported.toString());
    assertEquals(1, reported.get(1).offset());
    assertTrue(reported.get(1).reason().contains("record format 7"), reported.toString());
    assertEquals(List.of(good), applied.stream().map(PartitionFollower.Applied::update).toList());
    assertEquals(2, applied.getFirst().offset());
  }

  @Test
  void aFollowerRestartedFromItsOffsetLosesAndRepeatsNothing(Random random) throws Exception {
    UpdateTopic topic = topic(1);
    List<LiveUpdate> first = updates(random, 150);
    List<LiveUpdate> second = updates(random, 150);
    List<PartitionFollower.Applied> applied = new CopyOnWriteArrayList<>();
    long kept;
    try (UpdatePublisher publisher = new UpdatePublisher(bootstrap, topic, "test")) {
      publisher.publish(first).get(30, TimeUnit.SECONDS);
      try (PartitionFollower follower = follow(topic, 0, 0, applied)) {
        assertTrue(follower.awaitNextOffset(first.size(), Duration.ofSeconds(30)));
        kept = follower.nextOffset();
      }
      publisher.publish(second).get(30, TimeUnit.SECONDS);
    }
    assertEquals(first.size(), kept);
    try (PartitionFollower follower = follow(topic, 0, kept, applied)) {
      assertTrue(follower.awaitNextOffset(first.size() + second.size(), Duration.ofSeconds(30)));
    }
    List<LiveUpdate> all = new ArrayList<>(first);
    all.addAll(second);
    assertEquals(all, applied.stream().map(PartitionFollower.Applied::update).toList());
    List<Long> offsets = applied.stream().map(PartitionFollower.Applied::offset).toList();
    List<Long> sorted = new ArrayList<>(offsets);
    Collections.sort(sorted);
    assertEquals(sorted, offsets);
    assertEquals(all.size(), offsets.stream().distinct().count());
  }

  @Test
  void preparingATopicCreatesItOnceAndTellsWhereNewUpdatesBegin(Random random) throws Exception {
    UpdateTopic topic = new UpdateTopic("prepared-" + (++topics), 4);
    assertEquals(Map.of(0, 0L, 1, 0L, 2, 0L, 3, 0L), topic.prepare(bootstrap, (short) 1));
    List<LiveUpdate> updates = updates(random, 100);
    long[] expected = new long[4];
    for (LiveUpdate u : updates) {
      expected[topic.partitionOf(u)]++;
    }
    try (UpdatePublisher publisher = new UpdatePublisher(bootstrap, topic, "test")) {
      publisher.publish(updates).get(30, TimeUnit.SECONDS);
    }
    Map<Integer, Long> ends = topic.prepare(bootstrap, (short) 1);
    for (int p = 0; p < 4; p++) {
      assertEquals(expected[p], ends.get(p), "partition " + p);
    }
    IllegalStateException mismatch =
        assertThrows(
            IllegalStateException.class,
            () -> new UpdateTopic(topic.name(), 8).prepare(bootstrap, (short) 1));
    assertTrue(mismatch.getMessage().contains("one partition per shard"), mismatch.getMessage());
  }

  @Test
  void aFoldReadsAPartitionFromItsShardsOffsetToTheEndNowSkippingPoison(Random random)
      throws Exception {
    UpdateTopic topic = topic(2);
    List<LiveUpdate> updates = updates(random, 120);
    List<LiveUpdate> onOne = new ArrayList<>();
    try (UpdatePublisher publisher = new UpdatePublisher(bootstrap, topic, "test")) {
      publisher.publish(updates).get(30, TimeUnit.SECONDS);
    }
    for (LiveUpdate u : updates) {
      if (topic.partitionOf(u) == 1) {
        onOne.add(u);
      }
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, byte[]> raw =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      raw.send(new ProducerRecord<>(topic.name(), 1, "x", new byte[] {1, 99, 0, 1})).get();
    }
    LiveUpdate last =
        new LiveUpdate.ItemChange(
            keyOn(topic, 1), 100, "USD", 3, LiveUpdate.Availability.UNCHANGED);
    try (UpdatePublisher publisher = new UpdatePublisher(bootstrap, topic, "test")) {
      publisher.publish(List.of(last)).get(30, TimeUnit.SECONDS);
    }
    onOne.add(last);
    int from = random.nextInt(onOne.size());
    PartitionReader reader = new PartitionReader(bootstrap, topic, Duration.ofSeconds(60));
    List<LiveUpdate> read = new ArrayList<>();
    List<PartitionFollower.BadRecord> bad = new ArrayList<>();
    long end = reader.read(1, from, read::add, bad::add);
    assertEquals(onOne.size() + 1, end, "every record, the poison one too, read through");
    assertEquals(onOne.subList(from, onOne.size()), read);
    assertEquals(1, bad.size(), bad.toString());
    assertEquals(onOne.size() - 1, bad.getFirst().offset());
    assertEquals(end, reader.read(1, end, read::add, bad::add), "nothing after the end");

    IOException ahead =
        assertThrows(IOException.class, () -> reader.read(1, end + 5, read::add, bad::add));
    assertTrue(ahead.getMessage().contains("not this catalog's topic"), ahead.getMessage());
    // Records the topic no longer holds (as retention deletes them) are an error, not skipped.
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(a)) {
      admin
          .deleteRecords(
              Map.of(new TopicPartition(topic.name(), 1), RecordsToDelete.beforeOffset(3)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    IOException gone =
        assertThrows(IOException.class, () -> reader.read(1, 1, read::add, bad::add));
    assertTrue(gone.getMessage().contains("deleted by retention"), gone.getMessage());
  }

  @Test
  void waitersForAnOffsetAreAnsweredWhenItIsAppliedAndForgottenWhenTheyGiveUp(Random random)
      throws Exception {
    UpdateTopic topic = topic(1);
    List<LiveUpdate> first = updates(random, 20);
    List<PartitionFollower.Applied> applied = new CopyOnWriteArrayList<>();
    PartitionFollower follower = follow(topic, 0, 0, applied);
    try (UpdatePublisher publisher = new UpdatePublisher(bootstrap, topic, "test")) {
      publisher.publish(first).get(30, TimeUnit.SECONDS);
      assertTrue(follower.awaitNextOffset(first.size(), Duration.ofSeconds(30)));
      assertTrue(follower.whenApplied(first.size()).isDone(), "an offset applied answers at once");
      List<CompletableFuture<Long>> waiters = new ArrayList<>();
      List<Long> awaited = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        awaited.add(first.size() + 1L + random.nextInt(5));
        waiters.add(follower.whenApplied(awaited.getLast()));
      }
      CompletableFuture<Long> givesUp =
          follower.whenApplied(first.size() + 1_000).orTimeout(50, TimeUnit.MILLISECONDS);
      assertEquals(51, follower.waiting());
      assertThrows(ExecutionException.class, () -> givesUp.get(10, TimeUnit.SECONDS));
      assertEquals(50, follower.waiting(), "a waiter that gave up is forgotten");
      for (CompletableFuture<Long> w : waiters) {
        assertTrue(!w.isDone(), "nothing new applied yet");
      }
      publisher.publish(updates(random, 5)).get(30, TimeUnit.SECONDS);
      // Each completes with the next offset when it was answered: at least the one it awaited, at
      // most the end (the five records may be applied in more than one poll).
      for (int i = 0; i < waiters.size(); i++) {
        long next = waiters.get(i).get(30, TimeUnit.SECONDS);
        assertTrue(
            next >= awaited.get(i) && next <= first.size() + 5L,
            "awaited " + awaited.get(i) + ", answered at " + next);
      }
      assertTrue(follower.awaitNextOffset(first.size() + 5L, Duration.ofSeconds(30)));
      assertEquals(0, follower.waiting());
      CompletableFuture<Long> stranded = follower.whenApplied(first.size() + 100);
      follower.close();
      ExecutionException stopped =
          assertThrows(ExecutionException.class, () -> stranded.get(30, TimeUnit.SECONDS));
      assertTrue(stopped.getCause().getMessage().contains("stopped"), stopped.toString());
    } finally {
      follower.close();
    }
  }

  /** An item id whose shard of {@code topic}'s is {@code partition}. */
  private static String keyOn(UpdateTopic topic, int partition) {
    String id = "on-" + partition;
    for (int i = 0; ShardFunction.shardOf(id, topic.partitions()) != partition; i++) {
      id = "on-" + partition + "-" + i;
    }
    return id;
  }
}
