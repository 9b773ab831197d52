package dev.magpie.learn.search;

import dev.magpie.engine.snapshot.ItemStore;
import java.io.Closeable;
import java.io.IOException;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;

/**
 * The baseline: plain Lucene as anyone would set it up, StandardAnalyzer, BM25 defaults, the title
 * field only, the query's words OR-ed. Built in memory from the same snapshot's titles, document id
 * = ordinal.
 */
public final class LuceneBaselineSystem implements SearchSystem, Closeable {
  /** Its row name. */
  public static final String NAME = "baseline-lucene";

  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final QueryBuilder queries;

  /** Indexes every title of {@code items}. */
  public LuceneBaselineSystem(ItemStore items) throws IOException {
    StandardAnalyzer analyzer = new StandardAnalyzer();
    IndexWriterConfig config = new IndexWriterConfig(analyzer);
    config.setMergePolicy(new LogByteSizeMergePolicy());
    try (IndexWriter writer = new IndexWriter(directory, config)) {
      for (int i = 0; i < items.size(); i++) {
        Document doc = new Document();
        doc.add(new TextField("title", items.title(i), Field.Store.NO));
        writer.addDocument(doc);
      }
      writer.forceMerge(1);
    }
    reader = DirectoryReader.open(directory);
    searcher = new IndexSearcher(reader);
    queries = new QueryBuilder(analyzer);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int[] search(String query, int k) throws IOException {
    Query q = queries.createBooleanQuery("title", query, BooleanClause.Occur.SHOULD);
    if (q == null) {
      return new int[0];
    }
    TopDocs top = searcher.search(q, k);
    int[] ordinals = new int[top.scoreDocs.length];
    int i = 0;
    for (ScoreDoc sd : top.scoreDocs) {
      ordinals[i++] = sd.doc;
    }
    return ordinals;
  }

  @Override
  public float[] score(String query, int[] ordinals) throws IOException {
    float[] scores = new float[ordinals.length];
    Query q = queries.createBooleanQuery("title", query, BooleanClause.Occur.SHOULD);
    if (q == null) {
      return scores;
    }
    Weight weight = searcher.createWeight(searcher.rewrite(q), ScoreMode.COMPLETE, 1f);
    for (LeafReaderContext leaf : reader.leaves()) {
      for (int i = 0; i < ordinals.length; i++) {
        Scorer scorer = weight.scorer(leaf);
        if (scorer == null) {
          break;
        }
        int doc = ordinals[i] - leaf.docBase;
        if (doc >= 0 && doc < leaf.reader().maxDoc()) {
          DocIdSetIterator it = scorer.iterator();
          if (it.advance(doc) == doc) {
            scores[i] = scorer.score();
          }
        }
      }
    }
    return scores;
  }

  @Override
  public void close() throws IOException {
    reader.close();
    directory.close();
  }
}
