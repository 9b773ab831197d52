package dev.magpie.engine.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.search.SearchHit;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.SearchResult;
import dev.magpie.engine.search.TextSearcher;
import dev.magpie.engine.shard.ShardFunction;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import dev.magpie.engine.text.TextFields;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog split into shards answers BM25 searches exactly as one index over it: the same items in
 * the same order with the same scores, for 1, 2 and 4 shards, with understanding (brands, colours,
 * prices), typos, the typo retry, rare words some shards lack and ties between identical items. The
 * oracle is the single node.
 */
@Seeded
class ShardedSearchTest {
  private static final String[] WORDS = {
    "trail",
    "running",
    "shoe",
    "boot",
    "hiking",
    "waterproof",
    "knife",
    "chef",
    "steel",
    "pan",
    "cast",
    "iron",
    "phone",
    "case",
    "rugged",
    "clear",
    "tent",
    "dome",
    "lamp",
    "led",
    "copper",
    "pipe",
    "valve",
    "drill",
    "cordless",
    "hammer",
    "ladder",
    "paint",
    "brush",
    "roller"
  };
  private static final String[] BRANDS = {"Fleetfoot", "Northpeak", "Edgecraft", "Apex Motion", ""};
  private static final String[] CATEGORIES = {
    "Sports > Footwear > Running",
    "Sports > Camping",
    "Home > Kitchen > Knives",
    "Tools > Power Tools",
    "Tools > Plumbing",
    ""
  };
  private static final String[] COLOURS = {"red", "blue", "black"};

  @TempDir Path tmp;

  private static List<Item> catalog(Random random, int count) {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder title = new StringBuilder();
      if (i % 50 == 7 && i > 0) {
        // a copy of an earlier title: equal scores that only the catalog order separates
        title.append(items.get(random.nextInt(items.size())).title());
      } else {
        int words = 1 + random.nextInt(4);
        for (int w = 0; w < words; w++) {
          title.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        if (random.nextInt(40) == 0) {
          title.append(" rareword").append(random.nextInt(30));
        }
      }
      StringBuilder description = new StringBuilder();
      for (int w = random.nextInt(12); w > 0; w--) {
        description.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
      }
      Map<String, String> attributes = new LinkedHashMap<>();
      if (random.nextBoolean()) {
        attributes.put("color", COLOURS[random.nextInt(COLOURS.length)]);
      }
      items.add(
          new Item(
              "it-" + i,
              title.toString(),
              description.toString().strip(),
              BRANDS[random.nextInt(BRANDS.length)],
              CATEGORIES[random.nextInt(CATEGORIES.length)],
              random.nextInt(6) == 0 ? Item.UNKNOWN_PRICE : random.nextInt(20_000),
              "USD",
              random.nextInt(5) == 0 ? Item.UNKNOWN_STOCK : random.nextInt(4),
              random.nextInt(51) / 10f,
              attributes,
              null));
    }
    return items;
  }

  private static List<String> queries(Random random, int count) {
    List<String> queries =
        new ArrayList<>(
            List.of(
                "trail running shoe",
                "fleetfoot shoe",
                "red knife",
                "chef knife under $50",
                "knfe",
                "cordles drill",
                "rareword3",
                "rareword7 pipe",
                "apex motion boot",
                "copper pipe valve in stock",
                "zzzz unknownword",
                "waterproff tnt"));
    while (queries.size() < count) {
      StringBuilder q = new StringBuilder();
      for (int w = 1 + random.nextInt(3); w > 0; w--) {
        String word = WORDS[random.nextInt(WORDS.length)];
        if (random.nextInt(6) == 0 && word.length() > 4) {
          int at = 1 + random.nextInt(word.length() - 2);
          word = word.substring(0, at) + word.substring(at + 1); // a typo
        }
        q.append(word).append(' ');
      }
      queries.add(q.toString().strip());
    }
    return queries;
  }

  @Test
  void shardedAnswersEqualOneIndexOverTheCatalog(Random random) throws IOException {
    List<Item> items = catalog(random, 1500);
    List<String> queries = queries(random, 150);
    try (Snapshot single = TestSnapshots.build(tmp.resolve("single"), items)) {
      TextSearcher oracle = new TextSearcher(single);
      int fuzzyAnswers = 0;
      for (int shards : new int[] {1, 2, 4}) {
        List<Snapshot> parts =
            TestSnapshots.buildShards(tmp.resolve("s" + shards), items, shards, Knowledge.EMPTY);
        try {
          for (int s = 0; s < shards; s++) {
            for (int o = 0; o < parts.get(s).items().size(); o++) {
              assertEquals(s, ShardFunction.shardOf(parts.get(s).items().externalId(o), shards));
            }
          }
          ShardedTextSearch sharded = new ShardedTextSearch(parts);
          for (String query : queries) {
            for (int k : new int[] {5, 20}) {
              SearchRequest request = SearchRequest.of(query, k);
              if (query.hashCode() % 3 == 0) {
                request =
                    request.withFilters(
                        new SearchFilters(List.of(), List.of(), -1, -1, true, Map.of()));
              }
              SearchResult expected = oracle.search(request);
              ShardedTextSearch.Answer actual = sharded.search(request);
              String what = shards + " shards, k=" + k + ", '" + query + "'";
              assertSame(expected, actual, what);
              fuzzyAnswers += actual.fuzzy() ? 1 : 0;
            }
          }
        } finally {
          for (Snapshot p : parts) {
            p.close();
          }
        }
      }
      assertTrue(fuzzyAnswers > 0, "some queries took the typo retry");
    }
  }

  private static void assertSame(
      SearchResult expected, ShardedTextSearch.Answer actual, String what) {
    List<String> expectedIds = new ArrayList<>();
    for (SearchHit h : expected.hits()) {
      expectedIds.add(h.externalId());
    }
    List<String> actualIds = new ArrayList<>();
    for (ShardMerge.RankedHit h : actual.hits()) {
      actualIds.add(h.id());
    }
    assertEquals(expectedIds, actualIds, what);
    for (int i = 0; i < expectedIds.size(); i++) {
      assertEquals(expected.hits().get(i).score(), actual.hits().get(i).score(), 1e-5f, what);
    }
    assertEquals(expected.fuzzy(), actual.fuzzy(), what + ": typo retry");
    assertEquals(expected.understood(), actual.first().understood(), what + ": understood");
    assertEquals(expected.searchedText(), actual.first().searchedText(), what);
    if (expected.totalMatches() < 1000) {
      assertEquals(expected.totalMatches(), actual.totalMatches(), what + ": matches");
    }
  }

  @Test
  void everyShardCarriesTheCatalogsTermStatistics(Random random) throws IOException {
    List<Item> items = catalog(random, 600);
    try (Snapshot single = TestSnapshots.build(tmp.resolve("single"), items)) {
      List<Snapshot> parts =
          TestSnapshots.buildShards(tmp.resolve("s4"), items, 4, Knowledge.EMPTY);
      try {
        IndexReader whole = single.text().reader();
        for (String field : TextFields.SEARCHED) {
          Terms terms = MultiTerms.getTerms(whole, field);
          if (terms == null) {
            continue;
          }
          TermsEnum te = terms.iterator();
          for (BytesRef term = te.next(); term != null; term = te.next()) {
            for (Snapshot part : parts) {
              assertEquals(
                  te.docFreq(),
                  part.text().catalogStatistics().docFreq(field, term.utf8ToString()),
                  field + ":" + term.utf8ToString());
              assertEquals(
                  te.docFreq(),
                  part.text().reader().docFreq(new Term(field, term)),
                  field + ":" + term.utf8ToString());
            }
          }
        }
        long positions = 0;
        for (Snapshot part : parts) {
          assertEquals(items.size(), part.text().catalogStatistics().catalogDocs());
          for (int o = 0; o < part.items().size(); o++) {
            long at = part.items().catalogPosition(o);
            assertEquals(items.get((int) at).externalId(), part.items().externalId(o));
            positions++;
          }
          assertEquals(single.items().brandCount(), part.items().brandCount());
        }
        assertEquals(items.size(), positions);
      } finally {
        for (Snapshot p : parts) {
          p.close();
        }
      }
    }
  }
}
