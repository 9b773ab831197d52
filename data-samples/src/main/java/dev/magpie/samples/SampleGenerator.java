package dev.magpie.samples;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Generates the sample data deterministically from a seed: a catalog of products over the
 * categories in {@link SampleCategories} (brands, product lines, variants, prices, stock, ratings,
 * attributes, descriptions; optionally clustered vectors), behaviour events from shopper personas
 * who buy complements together, and the knowledge file of category relations those events follow.
 * The same seed and sizes always give byte-identical files.
 *
 * <p>{@code java dev.magpie.samples.SampleGenerator --out DIR [--items N] [--users N] [--vector-dim
 * D] [--seed S]}; without sizes it writes the bundled sample.
 */
public final class SampleGenerator {
  /** Seed of the bundled sample. */
  public static final long DEFAULT_SEED = 20261122L;

  /** Items in the bundled sample. */
  public static final int DEFAULT_ITEMS = 3000;

  /** Users in the bundled sample's events. */
  public static final int DEFAULT_USERS = 500;

  private static final long EVENTS_START = 1_788_220_800L; // 2026-09-01T00:00:00Z
  private static final JsonFactory JSON = new JsonFactory();

  private final long seed;
  private final int itemCount;
  private final int userCount;
  private final int vectorDim;
  private final List<CategorySpec> categories = SampleCategories.all();
  private final List<List<Integer>> itemsByCategory = new ArrayList<>();
  private final List<ItemFacts> facts = new ArrayList<>();
  private boolean distinctTitles;

  /** Words a distinct title may carry after its product line, one or two of them or none. */
  static final List<String> MODIFIERS =
      List.of(
          "Classic",
          "Pro",
          "Plus",
          "Lite",
          "Max",
          "Mini",
          "Ultra",
          "Prime",
          "Select",
          "Essential",
          "Deluxe",
          "Sport",
          "Studio",
          "Active",
          "Core",
          "Edge",
          "Flex",
          "Neo",
          "Apex",
          "Elite");

  /** What the judged-query generator needs to know of an item. */
  private record ItemFacts(int category, String brand, String color, String gender, long cents) {}

  /**
   * @param seed the seed every random choice derives from
   * @param itemCount number of products
   * @param userCount number of shoppers in the events (0: no events)
   * @param vectorDim dimension of generated item vectors (0: none)
   */
  public SampleGenerator(long seed, int itemCount, int userCount, int vectorDim) {
    if (itemCount < 1 || userCount < 0 || vectorDim < 0) {
      throw new IllegalArgumentException(
          "items must be positive, users and vector dimension not negative: "
              + itemCount
              + ", "
              + userCount
              + ", "
              + vectorDim);
    }
    this.seed = seed;
    this.itemCount = itemCount;
    this.userCount = userCount;
    this.vectorDim = vectorDim;
  }

  /**
   * Makes every item's title its own (the default repeats titles verbatim once the catalog is
   * larger than the combinations of brand, line, noun and attributes, which no real catalog does
   * and which hides how a text index prunes): each title gets a model code and, often, one or two
   * modifiers, drawn again on the rare collision. Every other field is what it would be without.
   * Off by default (the bundled sample's titles).
   */
  public SampleGenerator distinctTitles(boolean value) {
    distinctTitles = value;
    return this;
  }

  /** The bundled sample's generator. */
  public static SampleGenerator defaults() {
    return new SampleGenerator(DEFAULT_SEED, DEFAULT_ITEMS, DEFAULT_USERS, 0);
  }

  /**
   * Writes catalog.jsonl, events.csv (when there are users), knowledge.json, and judged queries
   * (queries.tsv, qrels.tsv) into {@code dir}.
   */
  public void writeAll(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (OutputStream out =
        new BufferedOutputStream(Files.newOutputStream(dir.resolve(SampleData.CATALOG)), 1 << 20)) {
      writeCatalog(out);
    }
    if (userCount > 0) {
      try (BufferedWriter out =
          Files.newBufferedWriter(dir.resolve(SampleData.EVENTS), StandardCharsets.UTF_8)) {
        writeEvents(out);
      }
    }
    try (OutputStream out = Files.newOutputStream(dir.resolve(SampleData.KNOWLEDGE))) {
      SampleKnowledge.write(out);
    }
    try (BufferedWriter queries =
            Files.newBufferedWriter(dir.resolve(SampleData.QUERIES), StandardCharsets.UTF_8);
        BufferedWriter qrels =
            Files.newBufferedWriter(dir.resolve(SampleData.QRELS), StandardCharsets.UTF_8)) {
      writeJudgedQueries(queries, qrels, JUDGED_QUERIES);
    }
  }

  /** Judged queries in the bundled sample. */
  public static final int JUDGED_QUERIES = 200;

  /**
   * Writes judged queries over the catalog last written, in Home Depot's formats. Each query states
   * facets of a product: a colour, a brand, a gender, a price ceiling, with the category's product
   * word. Ratings: 3 when an item has every facet and the category, 2 when it has the category but
   * misses a facet, 1 (irrelevant) for items of other categories sharing a facet. Up to 15, 10 and
   * 5 judged items per grade, drawn with the generator's seed.
   */
  public void writeJudgedQueries(BufferedWriter queries, BufferedWriter qrels, int count)
      throws IOException {
    if (facts.isEmpty()) {
      writeCatalog(OutputStream.nullOutputStream());
    }
    Random random = new Random(seed ^ 0x9DE5);
    for (int q = 0; q < count; q++) {
      ItemFacts anchor = facts.get(random.nextInt(facts.size()));
      CategorySpec spec = categories.get(anchor.category());
      String leaf =
          spec.path().substring(spec.path().lastIndexOf('>') + 1).strip().toLowerCase(Locale.ROOT);
      int kind = random.nextInt(4);
      String text;
      Predicate<ItemFacts> facets;
      if (kind == 0 && anchor.color() != null) {
        text = anchor.color().toLowerCase(Locale.ROOT) + " " + leaf;
        facets = f -> anchor.color().equals(f.color());
      } else if (kind == 1) {
        text = anchor.brand().toLowerCase(Locale.ROOT) + " " + leaf;
        facets = f -> anchor.brand().equals(f.brand());
      } else if (kind == 2 && anchor.gender() != null) {
        text = (anchor.gender().equals("men") ? "men's " : "women's ") + leaf;
        facets = f -> anchor.gender().equals(f.gender());
      } else {
        long ceiling = ((anchor.cents() / 100) / 10 + 1) * 10;
        text = leaf + " under $" + ceiling;
        facets = f -> f.cents() <= ceiling * 100;
      }
      String id = String.format(Locale.ROOT, "S%03d", q + 1);
      queries.write(id + "\t" + text + "\n");
      List<Integer> exact = new ArrayList<>();
      List<Integer> partial = new ArrayList<>();
      List<Integer> other = new ArrayList<>();
      for (int i = 0; i < facts.size(); i++) {
        ItemFacts f = facts.get(i);
        boolean sameCategory = f.category() == anchor.category();
        boolean hasFacets = facets.test(f);
        if (sameCategory && hasFacets) {
          exact.add(i);
        } else if (sameCategory) {
          partial.add(i);
        } else if (hasFacets) {
          other.add(i);
        }
      }
      judge(qrels, id, exact, 15, "3", random);
      judge(qrels, id, partial, 10, "2", random);
      judge(qrels, id, other, 5, "1", random);
    }
  }

  private static void judge(
      BufferedWriter qrels, String id, List<Integer> items, int max, String rating, Random random)
      throws IOException {
    List<Integer> pool = new ArrayList<>(items);
    Collections.shuffle(pool, random);
    for (int i = 0; i < Math.min(max, pool.size()); i++) {
      qrels.write(id + "\t" + itemId(pool.get(i)) + "\t" + rating + "\n");
    }
  }

  /** {@link #distinction} as a pattern. */
  private static final Pattern DISTINCTION =
      Pattern.compile("(?: (?:" + String.join("|", MODIFIERS) + ")){0,2} [A-Z]{2}-\\d{4}\\b");

  /**
   * {@code title} without what {@link #distinctTitles(boolean)} added to it: the title its product
   * line shares (for tools that embed each line once). A modifier word that is part of the
   * product's own name just before the code ("Novaphone Lite ZX-5512") goes too: the two cannot be
   * told apart.
   */
  public static String withoutDistinction(String title) {
    return DISTINCTION.matcher(title).replaceFirst("");
  }

  /** What makes a title distinct: " Pro KT-4821", " Lite Studio RB-0093", " ZX-5512". */
  private static String distinction(Random random) {
    StringBuilder out = new StringBuilder();
    int modifiers = random.nextInt(3);
    for (int m = 0; m < modifiers; m++) {
      out.append(' ').append(MODIFIERS.get(random.nextInt(MODIFIERS.size())));
    }
    out.append(' ')
        .append((char) ('A' + random.nextInt(26)))
        .append((char) ('A' + random.nextInt(26)))
        .append('-')
        .append(String.format(Locale.ROOT, "%04d", random.nextInt(10_000)));
    return out.toString();
  }

  /** The external id of item {@code index}. */
  static String itemId(int index) {
    return String.format(Locale.ROOT, "MP-%06d", index + 1);
  }

  /** Writes the catalog as JSON Lines. */
  public void writeCatalog(OutputStream out) throws IOException {
    Random random = new Random(seed);
    itemsByCategory.clear();
    facts.clear();
    for (int c = 0; c < categories.size(); c++) {
      itemsByCategory.add(new ArrayList<>());
    }
    float[][] centroids =
        vectorDim > 0 ? centroids(new Random(seed ^ 0x5EED), categories.size()) : null;
    Random vectorRandom = new Random(seed ^ 0xFEC7);
    Random titleRandom = new Random(seed ^ 0x717E);
    Set<String> titles = distinctTitles ? new HashSet<>() : null;
    float[] vector = vectorDim > 0 ? new float[vectorDim] : null;
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.setRootValueSeparator(new SerializedString("\n"));
      for (int i = 0; i < itemCount; i++) {
        int c = i % categories.size();
        CategorySpec spec = categories.get(c);
        itemsByCategory.get(c).add(i);
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> a : spec.attributes().entrySet()) {
          attributes.put(a.getKey(), pick(random, a.getValue()));
        }
        String brand = pick(random, spec.brands());
        String line = pick(random, spec.lines());
        String noun = pick(random, spec.nouns());
        String gender = spec.gendered() ? (random.nextBoolean() ? "Men's " : "Women's ") : "";
        String model = random.nextInt(3) == 0 ? "" : " " + (2 + random.nextInt(8));
        StringBuilder rest = new StringBuilder().append(' ').append(gender).append(noun);
        String color = attributes.get("color");
        String size = attributes.get("size");
        if (color != null) {
          rest.append(", ").append(color);
        }
        if (size != null) {
          rest.append(spec.gendered() && Character.isDigit(size.charAt(0)) ? ", Size " : ", ")
              .append(size);
        } else if (color == null && !spec.attributes().isEmpty()) {
          String first = spec.attributes().keySet().iterator().next();
          rest.append(" - ").append(attributes.get(first));
        }
        String head = brand + ' ' + line + model;
        String title = head + rest;
        if (titles != null) {
          do {
            title = head + distinction(titleRandom) + rest;
          } while (!titles.add(title));
        }
        if (spec.gendered()) {
          attributes.put("gender", gender.startsWith("Men") ? "men" : "women");
        }
        long cents = 0;
        double logPrice =
            Math.log(spec.minPrice())
                + random.nextDouble() * (Math.log(spec.maxPrice()) - Math.log(spec.minPrice()));
        long whole = Math.max(1, Math.round(Math.exp(logPrice)));
        String price = whole + (random.nextInt(4) == 0 ? ".49" : ".99");
        cents = Math.round(Double.parseDouble(price) * 100);
        facts.add(new ItemFacts(c, brand, color, attributes.get("gender"), cents));
        int stock = random.nextInt(12) == 0 ? 0 : random.nextInt(250);
        String rating =
            random.nextInt(10) == 0
                ? null
                : String.format(
                    Locale.ROOT,
                    "%.1f",
                    Math.min(5.0, Math.max(1.0, 4.2 + random.nextGaussian() * 0.5)));
        StringBuilder description = new StringBuilder();
        List<String> sentences = new ArrayList<>(spec.sentences());
        int n = 1 + random.nextInt(sentences.size());
        for (int s = 0; s < n; s++) {
          if (s > 0) {
            description.append(' ');
          }
          description.append(fill(sentences.get(s), attributes));
        }

        json.writeStartObject();
        json.writeStringField("id", itemId(i));
        json.writeStringField("title", title);
        json.writeStringField("brand", brand);
        json.writeStringField("category", spec.path());
        json.writeFieldName("price");
        json.writeNumber(price);
        json.writeStringField("currency", "USD");
        json.writeNumberField("stock", stock);
        if (rating != null) {
          json.writeFieldName("rating");
          json.writeNumber(rating);
        }
        json.writeStringField("description", description.toString());
        json.writeObjectFieldStart("attributes");
        for (Map.Entry<String, String> a : attributes.entrySet()) {
          json.writeStringField(a.getKey(), a.getValue());
        }
        json.writeEndObject();
        if (vector != null) {
          itemVector(vectorRandom, centroids[c], vector);
          json.writeArrayFieldStart("vector");
          for (float v : vector) {
            json.writeNumber(fixed4(v));
          }
          json.writeEndArray();
        }
        json.writeEndObject();
      }
      json.writeRaw('\n');
    }
  }

  /** Writes behaviour events as CSV: user_id,item_id,event,timestamp (seconds since the epoch). */
  public void writeEvents(BufferedWriter out) throws IOException {
    if (itemsByCategory.isEmpty()) {
      writeCatalog(OutputStream.nullOutputStream());
    }
    Random random = new Random(seed ^ 0xE7E47);
    List<SampleKnowledge.Persona> personas = SampleKnowledge.personas();
    Map<String, Integer> categoryIndex = new LinkedHashMap<>();
    for (int c = 0; c < categories.size(); c++) {
      categoryIndex.put(categories.get(c).path(), c);
    }
    out.write("user_id,item_id,event,timestamp\n");
    long time = EVENTS_START;
    for (int u = 0; u < userCount; u++) {
      String user = String.format(Locale.ROOT, "U%05d", u + 1);
      SampleKnowledge.Persona persona = personas.get(random.nextInt(personas.size()));
      int sessions = 2 + random.nextInt(9);
      for (int s = 0; s < sessions; s++) {
        time += 60 + random.nextInt(7200);
        int c = categoryIndex.get(pick(random, persona.categories()));
        int views = 2 + random.nextInt(6);
        for (int v = 0; v < views; v++) {
          int item = popular(random, itemsByCategory.get(c));
          time += 5 + random.nextInt(120);
          event(out, user, item, "view", time);
          if (random.nextInt(4) == 0) {
            time += 5 + random.nextInt(60);
            event(out, user, item, "cart", time);
            if (random.nextInt(5) < 2) {
              time += 30 + random.nextInt(600);
              event(out, user, item, "purchase", time);
              String complement = SampleKnowledge.complementOf(categories.get(c).path());
              if (complement != null && random.nextBoolean()) {
                int extra = popular(random, itemsByCategory.get(categoryIndex.get(complement)));
                time += 5 + random.nextInt(120);
                event(out, user, extra, "view", time);
                event(out, user, extra, "cart", time + 20);
                event(out, user, extra, "purchase", time + 90);
                time += 90;
              }
            }
          }
        }
      }
    }
  }

  private static void event(BufferedWriter out, String user, int item, String type, long time)
      throws IOException {
    out.write(user);
    out.write(',');
    out.write(itemId(item));
    out.write(',');
    out.write(type);
    out.write(',');
    out.write(Long.toString(time));
    out.write('\n');
  }

  /** A Zipf-like pick: the first items of a category are viewed far more often than the last. */
  private static int popular(Random random, List<Integer> items) {
    double u = random.nextDouble();
    int index = (int) Math.floor(items.size() * Math.pow(u, 2.5));
    return items.get(Math.min(index, items.size() - 1));
  }

  private float[][] centroids(Random random, int count) {
    float[][] result = new float[count][vectorDim];
    for (float[] c : result) {
      for (int d = 0; d < vectorDim; d++) {
        c[d] = (float) random.nextGaussian();
      }
      normalize(c);
    }
    return result;
  }

  private static void itemVector(Random random, float[] centroid, float[] out) {
    for (int d = 0; d < out.length; d++) {
      out[d] =
          centroid[d] + (float) random.nextGaussian() * 0.6f / (float) Math.sqrt(out.length) * 4;
    }
    normalize(out);
  }

  private static void normalize(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    float inv = (float) (1 / Math.sqrt(Math.max(norm, 1e-12)));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
  }

  /** {@code v} with four decimals, without going through a format string. */
  static String fixed4(float v) {
    long scaled = Math.round(v * 10_000.0);
    StringBuilder sb = new StringBuilder(8);
    if (scaled < 0) {
      sb.append('-');
      scaled = -scaled;
    }
    sb.append(scaled / 10_000).append('.');
    String frac = Long.toString(scaled % 10_000);
    for (int i = frac.length(); i < 4; i++) {
      sb.append('0');
    }
    return sb.append(frac).toString();
  }

  private static String fill(String sentence, Map<String, String> attributes) {
    String result = sentence;
    for (Map.Entry<String, String> a : attributes.entrySet()) {
      result = result.replace("{" + a.getKey() + "}", a.getValue());
    }
    return result;
  }

  private static String pick(Random random, List<String> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** Command-line entry point; see the class comment. */
  public static void main(String[] args) throws IOException {
    Path out = null;
    long seed = DEFAULT_SEED;
    int items = DEFAULT_ITEMS;
    int users = DEFAULT_USERS;
    int dim = 0;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--out" -> out = Path.of(value);
        case "--seed" -> seed = Long.parseLong(value);
        case "--items" -> items = Integer.parseInt(value);
        case "--users" -> users = Integer.parseInt(value);
        case "--vector-dim" -> dim = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    if (out == null) {
      throw new IllegalArgumentException("--out DIR is required");
    }
    new SampleGenerator(seed, items, users, dim).writeAll(out);
  }
}
