package dev.magpie.engine.text;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.util.CharTokenizer;

/**
 * Analysis for product text, the same at index and query time: measurements normalised by {@link
 * UnitNormalizer}, split on white space and punctuation other than the {@code - . / ' #} that model
 * numbers and measurements carry, lower-cased, accents folded, shaped by {@link ProductTokenFilter}
 * (model numbers whole, hyphenated words as parts and joined), English stop words dropped, and
 * stemmed unless the token holds a digit.
 */
public final class ProductAnalyzer extends Analyzer {
  /** Which English stemmer to use. */
  public enum Stemming {
    /** Plurals only ({@link PluralStemFilter}): the safe choice for product names. */
    PLURALS,
    /** Krovetz: dictionary-backed and conservative; keeps "paints" and "running" as they are. */
    KSTEM,
    /** Porter: aggressive suffix stripping. */
    PORTER,
    /** No stemming. */
    NONE
  }

  private static final CharArraySet STOP_WORDS = EnglishAnalyzer.ENGLISH_STOP_WORDS_SET;

  private final Stemming stemming;
  private final boolean normalizeUnits;

  /** An analyzer with plural stemming. */
  public ProductAnalyzer() {
    this(Stemming.PLURALS);
  }

  /** An analyzer with the given stemming. */
  public ProductAnalyzer(Stemming stemming) {
    this(stemming, true);
  }

  private ProductAnalyzer(Stemming stemming, boolean normalizeUnits) {
    this.stemming = stemming;
    this.normalizeUnits = normalizeUnits;
  }

  /**
   * The same analysis for text already passed through {@link UnitNormalizer#normalize}: for query
   * paths that normalise once themselves and want no extra copy of the text.
   */
  public ProductAnalyzer forNormalizedText() {
    return new ProductAnalyzer(stemming, false);
  }

  /** The stemming in force. */
  public Stemming stemming() {
    return stemming;
  }

  @Override
  protected Reader initReader(String fieldName, Reader reader) {
    if (!normalizeUnits) {
      return reader;
    }
    try {
      String text = readAll(reader);
      return new StringReader(UnitNormalizer.normalize(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    Tokenizer tokenizer =
        CharTokenizer.fromTokenCharPredicate(
            c ->
                Character.isLetterOrDigit(c)
                    || c == '-'
                    || c == '.'
                    || c == '/'
                    || c == '\''
                    || c == '#');
    TokenStream stream = new LowerCaseFilter(tokenizer);
    stream = new ASCIIFoldingFilter(stream);
    stream = new ProductTokenFilter(stream);
    stream = new StopFilter(stream, STOP_WORDS);
    stream =
        switch (stemming) {
          case PLURALS -> new PluralStemFilter(stream);
          case KSTEM -> new KStemFilter(stream);
          case PORTER -> new PorterStemFilter(stream);
          case NONE -> stream;
        };
    return new TokenStreamComponents(tokenizer, stream);
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    return new ASCIIFoldingFilter(new LowerCaseFilter(in));
  }

  private static String readAll(Reader reader) throws IOException {
    StringBuilder sb = new StringBuilder();
    char[] buffer = new char[1024];
    for (int n; (n = reader.read(buffer)) != -1; ) {
      sb.append(buffer, 0, n);
    }
    return sb.toString();
  }
}
