package dev.magpie.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PluralStemFilterTest {
  private static void stems(String plural, String singular) {
    String stem = PluralStemFilter.stem(plural);
    assertEquals(singular, stem == null ? plural : stem, plural);
  }

  @Test
  void pluralsBecomeSingular() {
    stems("paints", "paint");
    stems("shoes", "shoe");
    stems("batteries", "battery");
    stems("boxes", "box");
    stems("benches", "bench");
    stems("brushes", "brush");
    stems("glasses", "glass");
    stems("knives", "knife");
    stems("shelves", "shelf");
    stems("tiles", "tile");
    stems("trays", "tray");
    stems("keys", "key");
    stems("toys", "toy");
    stems("pies", "pie");
  }

  @Test
  void singularsAndOtherWordsStay() {
    stems("glass", "glass");
    stems("cactus", "cactus");
    stems("chassis", "chassis");
    stems("running", "running");
    stems("gas", "gas");
    stems("bus", "bus");
    stems("shoe", "shoe");
  }
}
