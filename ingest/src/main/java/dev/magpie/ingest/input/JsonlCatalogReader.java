package dev.magpie.ingest.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.magpie.engine.catalog.InvalidFieldException;
import dev.magpie.engine.catalog.RejectReason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.collections.impl.list.mutable.primitive.FloatArrayList;

/**
 * Reads JSON Lines catalogs: one object per line, fields named as in {@link CatalogField}.
 *
 * <pre>
 * {"id": "sku-1", "title": "Chef's Knife", "brand": "Wüsthof",
 *  "category": "Home > Kitchen > Knives", "price": 89.95, "currency": "USD", "stock": 12,
 *  "rating": 4.7, "attributes": {"blade": "20 cm"}, "vector": [0.12, -0.03, ...]}
 * </pre>
 *
 * {@code category} may also be an array of segments. Other scalar keys become attributes; other
 * nested values are ignored. Numbers are taken from their exact text, so a price of 19.99 is 1999
 * cents, never 1998.
 */
public final class JsonlCatalogReader extends LineCatalogReader {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  private final FloatArrayList vector = new FloatArrayList();

  /** A reader with these options. */
  public JsonlCatalogReader(CatalogReadOptions options) {
    super(options);
  }

  @Override
  protected LineCatalogReader fork() {
    return new JsonlCatalogReader(options);
  }

  @Override
  protected void parse(String record) throws InvalidFieldException {
    try (JsonParser parser = JSON.createParser(record)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw malformed("the line is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        CatalogField field = CatalogField.byName(name);
        if (field == null) {
          attribute(parser, name, value);
        } else {
          field(parser, field, value);
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT) {
        throw malformed("the object is not closed");
      }
      if (parser.nextToken() != null) {
        throw malformed("text after the JSON object");
      }
    } catch (JsonProcessingException e) {
      throw malformed("invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw malformed("unreadable JSON: " + e.getMessage());
    }
  }

  private void field(JsonParser parser, CatalogField field, JsonToken value)
      throws IOException, InvalidFieldException {
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    switch (field) {
      case ATTRIBUTES -> attributes(parser, value);
      case VECTOR -> builder.vector(vector(parser, value));
      case CATEGORY -> {
        if (value == JsonToken.START_ARRAY) {
          List<String> segments = new ArrayList<>();
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (!parser.currentToken().isScalarValue()) {
              throw new InvalidFieldException(
                  "category", null, RejectReason.BAD_CATEGORY, "category segments must be strings");
            }
            segments.add(text(parser.getText()));
          }
          builder.categorySegments(segments);
        } else {
          set(field, scalar(parser, field.canonicalName(), value));
        }
      }
      default -> set(field, scalar(parser, field.canonicalName(), value));
    }
  }

  private static String scalar(JsonParser parser, String name, JsonToken value)
      throws IOException, InvalidFieldException {
    if (!value.isScalarValue()) {
      parser.skipChildren();
      throw new InvalidFieldException(
          name,
          value == JsonToken.START_ARRAY ? "[...]" : "{...}",
          RejectReason.MALFORMED,
          name + " must be a string or a number");
    }
    return parser.getText();
  }

  private void attributes(JsonParser parser, JsonToken value)
      throws IOException, InvalidFieldException {
    if (value != JsonToken.START_OBJECT) {
      throw new InvalidFieldException(
          "attributes",
          parser.getText(),
          RejectReason.BAD_ATTRIBUTE,
          "attributes must be a JSON object");
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken v = parser.nextToken();
      if (v == JsonToken.VALUE_NULL) {
        continue;
      }
      if (!v.isScalarValue()) {
        parser.skipChildren();
        throw new InvalidFieldException(
            "attributes." + name,
            null,
            RejectReason.BAD_ATTRIBUTE,
            "attribute values must be strings, numbers or booleans");
      }
      builder.attribute(name, text(parser.getText()));
    }
  }

  private void attribute(JsonParser parser, String name, JsonToken value)
      throws IOException, InvalidFieldException {
    if (value.isScalarValue()) {
      if (value != JsonToken.VALUE_NULL) {
        builder.attribute(name, text(parser.getText()));
      }
    } else {
      parser.skipChildren();
    }
  }

  private float[] vector(JsonParser parser, JsonToken value)
      throws IOException, InvalidFieldException {
    if (value == JsonToken.VALUE_STRING) {
      return VectorText.parse(parser.getText());
    }
    if (value != JsonToken.START_ARRAY) {
      throw new InvalidFieldException(
          "vector",
          parser.getText(),
          RejectReason.BAD_VECTOR,
          "vector must be an array of numbers");
    }
    vector.clear();
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
        throw new InvalidFieldException(
            "vector",
            parser.getText(),
            RejectReason.BAD_VECTOR,
            "vector element " + vector.size() + " is not a number");
      }
      vector.add(parser.getFloatValue());
    }
    return vector.toArray();
  }

  private static InvalidFieldException malformed(String message) {
    return new InvalidFieldException("row", null, RejectReason.MALFORMED, message);
  }
}
