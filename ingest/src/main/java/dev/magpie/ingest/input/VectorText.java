package dev.magpie.ingest.input;

import dev.magpie.engine.catalog.InvalidFieldException;
import dev.magpie.engine.catalog.RejectReason;
import org.eclipse.collections.impl.list.mutable.primitive.FloatArrayList;

/** Parses a vector written as text: "0.1 0.2 0.3", "0.1,0.2,0.3" or "[0.1, 0.2, 0.3]". */
final class VectorText {
  private VectorText() {}

  static float[] parse(String text) throws InvalidFieldException {
    if (text == null || text.isBlank()) {
      return null;
    }
    String body = text.strip();
    if (body.startsWith("[") && body.endsWith("]")) {
      body = body.substring(1, body.length() - 1);
    }
    FloatArrayList values = new FloatArrayList();
    int index = 0;
    for (String part : body.split("[\\s,;]+")) {
      if (part.isEmpty()) {
        continue;
      }
      try {
        values.add(Float.parseFloat(part));
      } catch (NumberFormatException e) {
        throw new InvalidFieldException(
            "vector",
            part,
            RejectReason.BAD_VECTOR,
            "vector element " + index + " is not a number");
      }
      index++;
    }
    return values.toArray();
  }
}
