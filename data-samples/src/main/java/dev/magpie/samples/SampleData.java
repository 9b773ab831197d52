package dev.magpie.samples;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bundled sample data: a synthetic catalog, behaviour events and category knowledge, generated
 * by {@link SampleGenerator} from a fixed seed and shipped in this module's jar (and, readable, in
 * {@code data-samples/sample/} of the repository).
 */
public final class SampleData {
  /** The catalog, JSON Lines. */
  public static final String CATALOG = "catalog.jsonl";

  /** Behaviour events, CSV: user_id,item_id,event,timestamp. */
  public static final String EVENTS = "events.csv";

  /** Category relations, occasions and synonyms, JSON. */
  public static final String KNOWLEDGE = "knowledge.json";

  /** Judged queries, TSV: query_id, text (Home Depot's format). */
  public static final String QUERIES = "queries.tsv";

  /** Judgements, TSV: query_id, item_id, rating 1 (irrelevant) to 3 (exact). */
  public static final String QRELS = "qrels.tsv";

  /**
   * Queries lexical search cannot answer, TSV: id, query, right category, near-miss categories
   * (';'), pass|miss; '#' lines comment. Hand-written, not generated.
   */
  public static final String BLIND_SPOTS = "blind_spots.tsv";

  private static final String RESOURCE_DIR = "/dev/magpie/samples/";

  private SampleData() {}

  /** Opens one of the sample files. */
  public static InputStream open(String name) throws IOException {
    InputStream in = SampleData.class.getResourceAsStream(RESOURCE_DIR + name);
    if (in == null) {
      throw new FileNotFoundException(
          "sample file " + name + " is not on the class path (build data-samples first)");
    }
    return in;
  }
}
