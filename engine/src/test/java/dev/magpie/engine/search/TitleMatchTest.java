package dev.magpie.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TitleMatchTest {
  private static final Map<String, Double> IDF = Map.of("garage", 2.0, "door", 1.0, "opener", 3.0);

  private static TitleMatch match(String query) {
    return new TitleMatch(query, t -> IDF.getOrDefault(t, 1.0));
  }

  @Test
  void theMainPartEndsAtTheFirstModifier() {
    assertEquals(
        "delta vero shower faucet trim kit ",
        TitleMatch.mainPart("delta vero shower faucet trim kit in chrome (valve not included)"));
    assertEquals(
        "firm grip golf umbrella ",
        TitleMatch.mainPart("firm grip golf umbrella with black frame"));
    assertEquals(
        "owens corning r-38 insulation batts 24 in. x 48 in. ",
        TitleMatch.mainPart("owens corning r-38 insulation batts 24 in. x 48 in. (8-bags)")
            .replace(" in ", " in. "));
    assertEquals("in-sink erator", TitleMatch.mainPart("in-sink erator"));
  }

  @Test
  void wordsInOrderCountOnlyAdjacentPairs() {
    TitleMatch m = match("garage door opener");
    TitleMatch.Scores adjacent = m.score("Chamberlain Garage Door Opener with MyQ");
    TitleMatch.Scores apart = m.score("Opener Remote Door Kit for Garage");
    assertEquals(1f, adjacent.coverage());
    assertEquals(1f, apart.coverage());
    assertEquals(1f, adjacent.inOrder());
    assertEquals(0f, apart.inOrder());
  }

  @Test
  void rareWordsWeighMore() {
    TitleMatch m = match("garage door opener");
    assertEquals(3f / 6f, m.score("Opener Remote").rareCoverage(), 1e-6);
    assertEquals(1f / 6f, m.score("Door Stop").rareCoverage(), 1e-6);
  }

  @Test
  void theQueryHeadAndTheProductType() {
    TitleMatch m = match("black umbrella");
    TitleMatch.Scores umbrella = m.score("Firm Grip Golf Umbrella in Black");
    TitleMatch.Scores base = m.score("Patio Base for Umbrella in Black");
    assertEquals(1f, umbrella.queryHead());
    assertEquals(0.5f, base.queryHead());
    assertEquals(1f, umbrella.productType());
    assertEquals(0f, base.productType());
  }

  @Test
  void numbersAskedForAreChecked() {
    TitleMatch m = match("toro 721 snow blower");
    assertEquals(1f, m.score("Toro Power Clear 721 E Snow Blower").numbers());
    assertEquals(0f, m.score("Toro Powermax 724 OE Snow Blower").numbers());
    assertEquals(
        1f, match("snow blower").score("Toro 724").numbers(), "no numbers asked for: no penalty");
  }

  @Test
  void trigramsTolerateTyposThatWordsMiss() {
    TitleMatch m = match("toliet seat");
    TitleMatch.Scores s = m.score("Elongated Toilet Seat in White");
    assertEquals(0.5f, s.coverage());
    assertTrue(s.trigrams() > s.coverage(), "trigrams " + s.trigrams());
    assertEquals(0f, m.score("Garden Hose").trigrams(), 0.2f);
  }

  @Test
  void extraWordsAreTheTitleWordsNotAskedFor() {
    assertEquals(0.5f, match("door opener").score("Door Opener Remote Kit").extraWords());
  }

  @Test
  void anEmptyQueryMatchesNothing() {
    assertEquals(0f, match("the of").score("Garage Door").coverage());
  }
}
