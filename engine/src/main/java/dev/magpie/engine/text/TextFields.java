package dev.magpie.engine.text;

import dev.magpie.engine.catalog.Item;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;

/** The fields of the text index, and how an item becomes a Lucene document. */
public final class TextFields {
  /** Title: positions kept for phrase and proximity scoring. */
  public static final String TITLE = "title";

  /** Brand name. */
  public static final String BRAND = "brand";

  /** Category path, every level. */
  public static final String CATEGORY = "category";

  /** Description. */
  public static final String DESCRIPTION = "description";

  /** Attribute values, as text. */
  public static final String ATTRIBUTES = "attributes";

  /** Attribute name=value pairs, lower case, untokenised: for equality filters. */
  public static final String ATTRIBUTE_PAIRS = "attr";

  /** The item ordinal as doc values: checks at build time that doc id equals ordinal. */
  public static final String ORDINAL = "ordinal";

  /** The searchable text fields, in the order explanations list them. */
  public static final List<String> SEARCHED =
      List.of(TITLE, BRAND, CATEGORY, ATTRIBUTES, DESCRIPTION);

  private static final FieldType WITH_POSITIONS =
      textType(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS);
  private static final FieldType WITH_FREQS = textType(IndexOptions.DOCS_AND_FREQS);

  private TextFields() {}

  private static FieldType textType(IndexOptions options) {
    FieldType type = new FieldType();
    type.setIndexOptions(options);
    type.setTokenized(true);
    type.setStored(false);
    type.setOmitNorms(false);
    type.freeze();
    return type;
  }

  /** The term that an attribute equality filter looks for. */
  public static String attributePair(String name, String value) {
    return name.strip().toLowerCase(Locale.ROOT) + "=" + value.strip().toLowerCase(Locale.ROOT);
  }

  /** The Lucene document for item {@code ordinal}. */
  static Document document(int ordinal, Item item) {
    Document doc = new Document();
    doc.add(new Field(TITLE, item.title(), WITH_POSITIONS));
    if (!item.brand().isEmpty()) {
      doc.add(new Field(BRAND, item.brand(), WITH_FREQS));
    }
    if (!item.categoryPath().isEmpty()) {
      doc.add(new Field(CATEGORY, item.categoryPath(), WITH_FREQS));
    }
    if (!item.description().isEmpty()) {
      doc.add(new Field(DESCRIPTION, item.description(), WITH_FREQS));
    }
    if (!item.attributes().isEmpty()) {
      StringBuilder values = new StringBuilder();
      for (Map.Entry<String, String> a : item.attributes().entrySet()) {
        if (!a.getValue().isEmpty()) {
          values.append(a.getValue()).append(" . ");
          doc.add(
              new StringField(
                  ATTRIBUTE_PAIRS, attributePair(a.getKey(), a.getValue()), Field.Store.NO));
        }
      }
      if (!values.isEmpty()) {
        doc.add(new Field(ATTRIBUTES, values.toString(), WITH_FREQS));
      }
    }
    doc.add(new NumericDocValuesField(ORDINAL, ordinal));
    return doc;
  }
}
