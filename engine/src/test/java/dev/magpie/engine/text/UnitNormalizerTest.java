package dev.magpie.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UnitNormalizerTest {
  private static void same(String expected, String... inputs) {
    for (String input : inputs) {
      assertEquals(expected, UnitNormalizer.normalize(input), "normalize(\"" + input + "\")");
    }
  }

  @Test
  void ouncesInEveryForm() {
    same("16oz", "16oz", "16 oz", "16-ounce", "16 Ounces", "16 oz.", "16OZ");
  }

  @Test
  void fractionsAndInches() {
    same("0.5in", "1/2 in.", "1/2\"", "0.5 inch", "0.50 inches", ".5 in");
    same("1.5in pipe", "1-1/2 in pipe", "1 1/2 in. pipe", "1.5 inch pipe");
    same("0.75in x 10ft", "3/4 in. x 10 ft.", "3/4\" x 10'");
  }

  @Test
  void decimalsDimensionsAndOtherUnits() {
    same("0.105 trimmer line", ".105 trimmer line");
    same("2x4 stud", "2 x 4 stud", "2X4 stud");
    same("5gal bucket", "5-gal. bucket", "5 gallon bucket");
    same("12gauge angle", "12-Gauge angle");
    same("3sqft", "3 sq. ft.", "3 sq ft", "3 square feet");
    same("20v max", "20-Volt max", "20V max");
    same("4pack", "4-pack", "4 pk", "4 count");
  }

  @Test
  void leavesEverythingElseAlone() {
    same("Men's Trail Running Shoe", "Men's Trail Running Shoe");
    same("4 inside corners", "4 inside corners");
    same("DW745 table saw", "DW745 table saw");
    same("#SC-141 Tugboat", "#SC-141 Tugboat");
    same("version 2 of 10", "version 2.0 of 10", "version 2 of 10");
    same("3 ways", "3 ways");
  }
}
