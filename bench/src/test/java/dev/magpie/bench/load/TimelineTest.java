package dev.magpie.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Seconds of a run by intended send time, and when it was normal for good. */
class TimelineTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void recordsBySecondOfIntentAndFindsWhenTheRunWasNormalForGood() {
    long start = 1_000 * SECOND;
    Timeline timeline = new Timeline(start, 5);
    timeline.record(start + SECOND / 2, Outcome.SHED, 1_000_000); // second 0: a shed
    timeline.record(start + SECOND + 1, Outcome.OK, 40_000_000); // second 1: slow (40 ms)
    for (int s = 2; s < 5; s++) {
      for (int i = 0; i < 100; i++) {
        timeline.record(start + s * SECOND + i, Outcome.OK, 2_000_000); // 2 ms
      }
    }
    timeline.record(start + 99 * SECOND, Outcome.OK, 1_000_000); // past the end: the last second
    List<Timeline.Second> seconds = timeline.seconds();
    assertEquals(5, seconds.size());
    assertEquals(1, seconds.get(0).notAnswered());
    assertEquals(40.0, seconds.get(1).p99Ms(), 0.1);
    assertEquals(101, seconds.get(4).answered());
    assertEquals(
        2, Timeline.normalAfter(seconds, 10.0, 0), "normal from second 2 (three in a row)");
    assertEquals(5, Timeline.normalAfter(seconds, 1.0, 0), "never normal under 1 ms");
    assertEquals(1, Timeline.normalAfter(seconds, 50.0, 0), "the shed keeps second 0 abnormal");
    assertEquals(
        1, Timeline.normalAfter(seconds, 50.0, 0.5), "one of one refused is more than half");
    assertEquals(0, Timeline.normalAfter(seconds, 50.0, 1.0), "all may be refused");
    // A blip after three normal seconds in a row is noise, not a relapse.
    List<Timeline.Second> blip =
        List.of(
            new Timeline.Second(30, 100, 0),
            new Timeline.Second(2, 100, 0),
            new Timeline.Second(2, 100, 0),
            new Timeline.Second(2, 100, 0),
            new Timeline.Second(30, 100, 5),
            new Timeline.Second(2, 100, 0));
    assertEquals(1, Timeline.normalAfter(blip, 10.0, 0.01));
    assertEquals(
        1,
        Timeline.normalAfter(blip.subList(4, 6), 10.0, 0.01),
        "under three left: normal to the end");
    assertEquals(
        1, Timeline.normalAfter(blip.subList(0, 1), 10.0, 0.01), "never normal: the length");
  }
}
