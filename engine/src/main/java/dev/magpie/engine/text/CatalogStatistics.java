package dev.magpie.engine.text;

import dev.magpie.engine.io.CorruptFileException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.RandomAccessInput;
import org.apache.lucene.util.BytesRef;

/**
 * The text statistics of a whole catalog, carried by each shard of it: for every indexed field the
 * catalog's document count and term-frequency sums, and for every term of the catalog (held by this
 * shard or not) its document frequency and total frequency. {@link CatalogWideReader} shows them to
 * Lucene in place of the shard's own, so that BM25 scores an item on a shard exactly as one index
 * over the whole catalog would, and a word is known, typo-corrected and expanded the same way on
 * every shard.
 *
 * <p>Layout of {@link #FILE} (integers big-endian, as Lucene writes them; read memory-mapped):
 *
 * <pre>
 * +--------------------------------------------------------------+
 * | Lucene codec header: "MagpieCatalogStats", version 1         |
 * | vlong  catalogDocs     documents in the whole catalog        |
 * | vint   fieldCount                                            |
 * | per field, in name order:                                    |
 * |   string name                                                |
 * |   byte   flags         1 freqs, 2 positions, 4 offsets,      |
 * |                        8 payloads                            |
 * |   vint   docCount      vlong sumTotalTermFreq  vlong sumDocFreq |
 * |   vint   termCount     vlong termBytes                       |
 * | per field, same order:                                       |
 * |   termCount entries of 20 bytes, term order (unsigned bytes):|
 * |     int64 end of the term's bytes, from the field's bytes    |
 * |     int32 docFreq                                            |
 * |     int64 totalTermFreq                                      |
 * |   termBytes bytes: the terms, concatenated                   |
 * | Lucene codec footer (CRC32 of everything before it)          |
 * +--------------------------------------------------------------+
 * </pre>
 *
 * Owns its mapped input; {@link #close()} releases it. Thread-safe for reading.
 */
public final class CatalogStatistics implements Closeable {
  /** The file's name in the snapshot's {@code text/} directory. */
  public static final String FILE = "catalog.stats";

  /** The file's path relative to the snapshot version. */
  public static final String PATH = TextIndexWriter.DIR + "/" + FILE;

  static final String CODEC = "MagpieCatalogStats";
  static final int VERSION = 1;
  static final int ENTRY_BYTES = 20;

  private static final int FREQS = 1;
  private static final int POSITIONS = 2;
  private static final int OFFSETS = 4;
  private static final int PAYLOADS = 8;

  private final IndexInput input;
  private final long catalogDocs;
  private final Map<String, FieldStatistics> fields;

  private CatalogStatistics(
      IndexInput input, long catalogDocs, Map<String, FieldStatistics> fields) {
    this.input = input;
    this.catalogDocs = catalogDocs;
    this.fields = Collections.unmodifiableMap(fields);
  }

  /**
   * One field's catalog-wide statistics and where its terms lie in the file.
   *
   * @param name the field
   * @param flags what its postings carry (see the layout)
   * @param docCount documents with the field
   * @param sumTotalTermFreq tokens in the field, all documents
   * @param sumDocFreq the document frequencies of its terms, summed
   * @param termCount distinct terms
   * @param entries the term entries, {@link #ENTRY_BYTES} each
   * @param bytes the terms' bytes
   */
  record FieldStatistics(
      String name,
      int flags,
      int docCount,
      long sumTotalTermFreq,
      long sumDocFreq,
      int termCount,
      RandomAccessInput entries,
      RandomAccessInput bytes) {
    boolean hasFreqs() {
      return (flags & FREQS) != 0;
    }

    boolean hasPositions() {
      return (flags & POSITIONS) != 0;
    }

    boolean hasOffsets() {
      return (flags & OFFSETS) != 0;
    }

    boolean hasPayloads() {
      return (flags & PAYLOADS) != 0;
    }

    /** Where term {@code ord}'s bytes end, from the start of the field's bytes. */
    long end(int ord) throws IOException {
      return entries.readLong((long) ord * ENTRY_BYTES);
    }

    int docFreq(int ord) throws IOException {
      return entries.readInt((long) ord * ENTRY_BYTES + 8);
    }

    long totalTermFreq(int ord) throws IOException {
      return entries.readLong((long) ord * ENTRY_BYTES + 12);
    }

    /** Reads term {@code ord} into {@code into}, growing its array as needed. */
    void term(int ord, BytesRef into) throws IOException {
      long start = ord == 0 ? 0 : end(ord - 1);
      int length = (int) (end(ord) - start);
      if (into.bytes.length < length) {
        into.bytes = new byte[Math.max(length, into.bytes.length * 2)];
      }
      bytes.readBytes(start, into.bytes, 0, length);
      into.offset = 0;
      into.length = length;
    }
  }

  /**
   * Writes the statistics of the catalog whose items are the documents of {@code parts} (disjoint:
   * the shards' indexes, or a shard's and one of every other item) to {@code file}.
   *
   * @return the file's Lucene checksum, from its footer
   */
  public static long write(Path file, List<IndexReader> parts) throws IOException {
    try (MultiReader all = new MultiReader(parts.toArray(new IndexReader[0]), false);
        Directory dir = FSDirectory.open(file.getParent());
        IndexOutput out = dir.createOutput(file.getFileName().toString(), IOContext.DEFAULT)) {
      CodecUtil.writeHeader(out, CODEC, VERSION);
      out.writeVLong(all.maxDoc());
      FieldInfos infos = FieldInfos.getMergedFieldInfos(all);
      TreeMap<String, Terms> indexed = new TreeMap<>();
      TreeMap<String, Integer> flags = new TreeMap<>();
      for (FieldInfo info : infos) {
        Terms terms = MultiTerms.getTerms(all, info.name);
        if (info.getIndexOptions() != IndexOptions.NONE && terms != null) {
          indexed.put(info.name, terms);
          flags.put(info.name, flags(terms));
        }
      }
      out.writeVInt(indexed.size());
      List<long[]> sizes = new ArrayList<>();
      for (Map.Entry<String, Terms> e : indexed.entrySet()) {
        Terms terms = e.getValue();
        long[] size = countTerms(terms);
        sizes.add(size);
        out.writeString(e.getKey());
        out.writeByte((byte) (int) flags.get(e.getKey()));
        out.writeVInt(terms.getDocCount());
        out.writeVLong(terms.getSumTotalTermFreq());
        out.writeVLong(terms.getSumDocFreq());
        out.writeVInt((int) size[0]);
        out.writeVLong(size[1]);
      }
      for (Terms terms : indexed.values()) {
        TermsEnum te = terms.iterator();
        long end = 0;
        for (BytesRef term = te.next(); term != null; term = te.next()) {
          end += term.length;
          out.writeLong(end);
          out.writeInt(te.docFreq());
          out.writeLong(te.totalTermFreq());
        }
        te = terms.iterator();
        for (BytesRef term = te.next(); term != null; term = te.next()) {
          out.writeBytes(term.bytes, term.offset, term.length);
        }
      }
      CodecUtil.writeFooter(out);
      return out.getChecksum();
    }
  }

  /**
   * Copies the statistics file {@code from} into the text index directory {@code textDir} as {@link
   * #FILE}, verifying its checksum on the way.
   *
   * @return the copy, for the manifest
   */
  public static TextIndexWriter.IndexFile copy(Path from, Path textDir) throws IOException {
    Files.copy(from, textDir.resolve(FILE));
    try (Directory dir = FSDirectory.open(textDir);
        IndexInput in = dir.openInput(FILE, IOContext.READONCE)) {
      return new TextIndexWriter.IndexFile(PATH, in.length(), CodecUtil.checksumEntireFile(in));
    }
  }

  private static int flags(Terms terms) {
    return (terms.hasFreqs() ? FREQS : 0)
        | (terms.hasPositions() ? POSITIONS : 0)
        | (terms.hasOffsets() ? OFFSETS : 0)
        | (terms.hasPayloads() ? PAYLOADS : 0);
  }

  /** The number of terms and their bytes, summed. */
  private static long[] countTerms(Terms terms) throws IOException {
    long count = 0;
    long bytes = 0;
    TermsEnum te = terms.iterator();
    for (BytesRef term = te.next(); term != null; term = te.next()) {
      count++;
      bytes += term.length;
    }
    if (count > Integer.MAX_VALUE) {
      throw new IllegalStateException("more than " + Integer.MAX_VALUE + " terms in one field");
    }
    return new long[] {count, bytes};
  }

  /**
   * Opens {@link #FILE} in {@code textDir} (the caller verified its checksum, or chose not to);
   * {@code file} names it in errors.
   */
  static CatalogStatistics open(Directory textDir, Path file) throws IOException {
    IndexInput in = textDir.openInput(FILE, IOContext.DEFAULT);
    boolean success = false;
    try {
      CodecUtil.checkHeader(in, CODEC, VERSION, VERSION);
      long catalogDocs = in.readVLong();
      int fieldCount = in.readVInt();
      String[] names = new String[fieldCount];
      int[] flags = new int[fieldCount];
      long[][] sums = new long[fieldCount][];
      for (int f = 0; f < fieldCount; f++) {
        names[f] = in.readString();
        flags[f] = in.readByte();
        sums[f] = new long[] {in.readVInt(), in.readVLong(), in.readVLong(), in.readVInt(), 0};
        sums[f][4] = in.readVLong();
      }
      Map<String, FieldStatistics> fields = new TreeMap<>();
      long at = in.getFilePointer();
      for (int f = 0; f < fieldCount; f++) {
        long entryBytes = sums[f][3] * ENTRY_BYTES;
        long termBytes = sums[f][4];
        if (at + entryBytes + termBytes > in.length() - CodecUtil.footerLength()) {
          throw new CorruptFileException(file, "field " + names[f] + " runs past the file's end");
        }
        fields.put(
            names[f],
            new FieldStatistics(
                names[f],
                flags[f],
                (int) sums[f][0],
                sums[f][1],
                sums[f][2],
                (int) sums[f][3],
                in.randomAccessSlice(at, entryBytes),
                in.randomAccessSlice(at + entryBytes, termBytes)));
        at += entryBytes + termBytes;
      }
      if (at != in.length() - CodecUtil.footerLength()) {
        throw new CorruptFileException(
            file, (in.length() - CodecUtil.footerLength() - at) + " bytes after the last field");
      }
      success = true;
      return new CatalogStatistics(in, catalogDocs, fields);
    } catch (CorruptIndexException e) {
      throw new CorruptFileException(file, e.getMessage());
    } finally {
      if (!success) {
        in.close();
      }
    }
  }

  /** Documents in the whole catalog when the statistics were taken. */
  public long catalogDocs() {
    return catalogDocs;
  }

  /** The statistics of {@code field}, or null when no item of the catalog has it. */
  FieldStatistics field(String field) {
    return fields.get(field);
  }

  /** The catalog-wide document frequency of {@code term} in {@code field} (0 when absent). */
  public int docFreq(String field, String term) throws IOException {
    FieldStatistics f = fields.get(field);
    if (f == null) {
      return 0;
    }
    CatalogTermsEnum te = new CatalogTermsEnum(f, null);
    return te.seekExact(new BytesRef(term)) ? te.docFreq() : 0;
  }

  @Override
  public void close() throws IOException {
    input.close();
  }

  @Override
  public String toString() {
    return "CatalogStatistics" + Arrays.asList(catalogDocs, fields.keySet());
  }
}
