package dev.magpie.samples;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The sample's product knowledge: directional complements (phone then case, never case then phone),
 * substitutes, occasions that call for several categories, synonyms and query rewrites; and the
 * shopper personas the generated events follow.
 */
final class SampleKnowledge {
  private SampleKnowledge() {}

  /** A relation between two categories. */
  record Relation(String from, String to, String type, double weight) {}

  /** An occasion and the categories it calls for. */
  record Occasion(String name, List<String> categories) {}

  /** A kind of shopper and the categories they browse. */
  record Persona(String name, List<String> categories) {}

  static final String RUNNING = "Sports > Footwear > Running Shoes";
  static final String HIKING = "Sports > Footwear > Hiking Boots";
  static final String TENTS = "Sports > Camping > Tents";
  static final String SLEEPING_BAGS = "Sports > Camping > Sleeping Bags";
  static final String HEADLAMPS = "Sports > Camping > Headlamps";
  static final String YOGA = "Sports > Fitness > Yoga Mats";
  static final String RAIN = "Clothing > Outerwear > Rain Jackets";
  static final String PHONES = "Electronics > Phones > Smartphones";
  static final String CASES = "Electronics > Phones > Phone Cases";
  static final String CHARGERS = "Electronics > Phones > Chargers";
  static final String HEADPHONES = "Electronics > Audio > Headphones";
  static final String LAPTOPS = "Electronics > Computers > Laptops";
  static final String LAPTOP_BAGS = "Electronics > Computers > Laptop Bags";
  static final String KNIVES = "Home > Kitchen > Knives";
  static final String COOKWARE = "Home > Kitchen > Cookware";
  static final String COFFEE_MAKERS = "Home > Kitchen > Coffee Makers";
  static final String COFFEE = "Grocery > Coffee > Coffee Beans";
  static final String SHEETS = "Home > Bedding > Sheets";
  static final String TOWELS = "Home > Bath > Towels";
  static final String TOYS = "Toys > Building Sets";
  static final String SUNSCREEN = "Beauty > Skincare > Sunscreen";
  static final String PRUNERS = "Garden > Tools > Pruners";

  static List<Relation> relations() {
    return List.of(
        new Relation(PHONES, CASES, "complement", 0.9),
        new Relation(PHONES, CHARGERS, "complement", 0.6),
        new Relation(LAPTOPS, LAPTOP_BAGS, "complement", 0.8),
        new Relation(COFFEE_MAKERS, COFFEE, "complement", 0.9),
        new Relation(TENTS, SLEEPING_BAGS, "complement", 0.8),
        new Relation(SLEEPING_BAGS, HEADLAMPS, "complement", 0.5),
        new Relation(HIKING, RAIN, "complement", 0.5),
        new Relation(RUNNING, HEADPHONES, "complement", 0.4),
        new Relation(COOKWARE, KNIVES, "complement", 0.5),
        new Relation(SHEETS, TOWELS, "complement", 0.4),
        new Relation(RUNNING, HIKING, "substitute", 0.3),
        new Relation(HIKING, RUNNING, "substitute", 0.3));
  }

  /** The strongest complement of {@code category}, or null. */
  static String complementOf(String category) {
    String best = null;
    double weight = 0;
    for (Relation r : relations()) {
      if (r.type().equals("complement") && r.from().equals(category) && r.weight() > weight) {
        best = r.to();
        weight = r.weight();
      }
    }
    return best;
  }

  static List<Occasion> occasions() {
    return List.of(
        new Occasion(
            "camping trip", List.of(TENTS, SLEEPING_BAGS, HEADLAMPS, HIKING, RAIN, SUNSCREEN)),
        new Occasion("marathon training", List.of(RUNNING, HEADPHONES, SUNSCREEN, YOGA)),
        new Occasion("back to school", List.of(LAPTOPS, LAPTOP_BAGS, HEADPHONES, CHARGERS)),
        new Occasion("housewarming", List.of(KNIVES, COOKWARE, COFFEE_MAKERS, SHEETS, TOWELS)),
        new Occasion("beach holiday", List.of(SUNSCREEN, TOWELS, RAIN, HEADPHONES)),
        new Occasion("kids birthday", List.of(TOYS)),
        new Occasion("spring gardening", List.of(PRUNERS, SUNSCREEN, RAIN)));
  }

  static List<Persona> personas() {
    return List.of(
        new Persona(
            "runner", List.of(RUNNING, RUNNING, RUNNING, HEADPHONES, YOGA, RAIN, SUNSCREEN)),
        new Persona("hiker", List.of(HIKING, HIKING, TENTS, SLEEPING_BAGS, HEADLAMPS, RAIN)),
        new Persona(
            "techie", List.of(PHONES, PHONES, CASES, CHARGERS, HEADPHONES, LAPTOPS, LAPTOP_BAGS)),
        new Persona("home cook", List.of(KNIVES, COOKWARE, COOKWARE, COFFEE_MAKERS, COFFEE)),
        new Persona("homemaker", List.of(SHEETS, TOWELS, COOKWARE, COFFEE)),
        new Persona("parent", List.of(TOYS, TOYS, SUNSCREEN, TOWELS)),
        new Persona("gardener", List.of(PRUNERS, PRUNERS, SUNSCREEN, RAIN)));
  }

  static List<List<String>> synonyms() {
    return List.of(
        List.of("sneakers", "running shoes", "trainers"),
        List.of("cellphone", "smartphone", "mobile phone"),
        List.of("notebook", "laptop"),
        List.of("earbuds", "earphones", "in-ear headphones"),
        List.of("skillet", "frying pan"),
        List.of("sunblock", "sunscreen"),
        List.of("secateurs", "pruning shears", "pruners"),
        List.of("duvet cover", "comforter cover"));
  }

  static List<String[]> rewrites() {
    return List.of(
        new String[] {"iphone case", "phone case"},
        new String[] {"coffee machine", "coffee maker"},
        new String[] {"lego", "building set"},
        new String[] {"rain coat", "rain jacket"});
  }

  /** Writes the knowledge file as JSON. */
  static void write(OutputStream out) throws IOException {
    try (JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeNumberField("version", 1);
      json.writeArrayFieldStart("categories");
      for (CategorySpec c : SampleCategories.all()) {
        json.writeString(c.path());
      }
      json.writeEndArray();
      json.writeArrayFieldStart("relations");
      for (Relation r : relations()) {
        json.writeStartObject();
        json.writeStringField("from", r.from());
        json.writeStringField("to", r.to());
        json.writeStringField("type", r.type());
        json.writeNumberField("weight", r.weight());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("occasions");
      for (Occasion o : occasions()) {
        json.writeStartObject();
        json.writeStringField("name", o.name());
        json.writeArrayFieldStart("categories");
        for (String c : o.categories()) {
          json.writeString(c);
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("synonyms");
      for (List<String> group : synonyms()) {
        json.writeStartArray();
        for (String s : group) {
          json.writeString(s);
        }
        json.writeEndArray();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("rewrites");
      for (String[] r : rewrites()) {
        json.writeStartObject();
        json.writeStringField("from", r[0]);
        json.writeStringField("to", r[1]);
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
      json.writeRaw('\n');
    }
  }
}
