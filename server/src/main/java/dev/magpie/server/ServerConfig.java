package dev.magpie.server;

import dev.magpie.engine.io.FileOps;
import dev.magpie.engine.rank.RankingModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a server runs: validated as a whole when built ({@link Builder#build()} refuses a bad setting
 * naming it and its value), immutable after. {@code ServerConfig.builder().build()} is the local
 * default: loopback, any free port, 2 request threads, the built-in models, no keys, an adaptive
 * concurrency limit, no rate limit, no kept answers, plaintext, no live updates.
 *
 * @param host the address to listen on
 * @param port the port, 0 for any free one
 * @param threads request threads
 * @param searchModel the search reranker's model
 * @param recommendModel the recommendation model
 * @param keys the API keys callers must present, or null to let every caller in (development)
 * @param maxConcurrency the most calls in flight, fixed; 0 for an adaptive limit
 * @param ratePerSecond calls per second each client may make, 0 for no rate limit
 * @param burst calls a client may make at once after being idle (with a rate limit)
 * @param cacheTtl how long search answers are kept (zero: identical searches share only while in
 *     flight)
 * @param queryVectors query embeddings kept for repeated query texts (0: every search embeds its
 *     query)
 * @param tls the server's TLS identity, or null for plaintext
 * @param wal the write-ahead log's directory for live updates, or null to refuse updates
 * @param updates the cluster's update log this shard replica follows, or null (then {@code wal}
 *     decides)
 * @param walFiles the file operations the write-ahead log goes through (the real file system; tests
 *     hand in failing ones)
 */
public record ServerConfig(
    String host,
    int port,
    int threads,
    RankingModel searchModel,
    RankingModel recommendModel,
    ApiKeys keys,
    int maxConcurrency,
    double ratePerSecond,
    int burst,
    Duration cacheTtl,
    int queryVectors,
    Tls tls,
    Path wal,
    FileOps walFiles,
    UpdateLog updates) {
  /**
   * The cluster's update log a shard replica follows instead of keeping a write-ahead log.
   *
   * @param bootstrap the Kafka cluster's "host:port,..."
   * @param topic the catalog's update topic (a partition per shard)
   */
  public record UpdateLog(String bootstrap, String topic) {
    /** Checks both are given. */
    public UpdateLog {
      if (bootstrap == null || bootstrap.isBlank() || topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("the update log needs a bootstrap address and a topic");
      }
    }
  }

  /** Most request threads a server takes. */
  public static final int MAX_THREADS = 1024;

  /**
   * Query embeddings a server keeps by default: about 1.5 KB each at 384 dimensions. Agents and
   * shoppers repeat queries, and a query's embedding is most of a search's CPU.
   */
  public static final int DEFAULT_QUERY_VECTORS = 10_000;

  /** A builder with the local defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Sets each setting; {@link #build()} checks them together. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private int threads = 2;
    private RankingModel searchModel = RankingModel.SEARCH_DEFAULT;
    private RankingModel recommendModel = RankingModel.RECOMMEND_DEFAULT;
    private ApiKeys keys;
    private int maxConcurrency;
    private double ratePerSecond;
    private int burst;
    private Duration cacheTtl = Duration.ZERO;
    private int queryVectors = DEFAULT_QUERY_VECTORS;
    private Tls tls;
    private Path wal;
    private FileOps walFiles = FileOps.DEFAULT;
    private UpdateLog updates;

    private Builder() {}

    private Builder(ServerConfig c) {
      host = c.host;
      port = c.port;
      threads = c.threads;
      searchModel = c.searchModel;
      recommendModel = c.recommendModel;
      keys = c.keys;
      maxConcurrency = c.maxConcurrency;
      ratePerSecond = c.ratePerSecond;
      burst = c.burst;
      cacheTtl = c.cacheTtl;
      queryVectors = c.queryVectors;
      tls = c.tls;
      wal = c.wal;
      walFiles = c.walFiles;
      updates = c.updates;
    }

    /** See {@link ServerConfig#host()}. */
    public Builder host(String value) {
      host = value;
      return this;
    }

    /** See {@link ServerConfig#port()}. */
    public Builder port(int value) {
      port = value;
      return this;
    }

    /** See {@link ServerConfig#threads()}. */
    public Builder threads(int value) {
      threads = value;
      return this;
    }

    /** See {@link ServerConfig#searchModel()} and {@link ServerConfig#recommendModel()}. */
    public Builder models(RankingModel search, RankingModel recommend) {
      searchModel = search;
      recommendModel = recommend;
      return this;
    }

    /** See {@link ServerConfig#keys()}. */
    public Builder keys(ApiKeys value) {
      keys = value;
      return this;
    }

    /** See {@link ServerConfig#maxConcurrency()}. */
    public Builder maxConcurrency(int value) {
      maxConcurrency = value;
      return this;
    }

    /** See {@link ServerConfig#ratePerSecond()} and {@link ServerConfig#burst()}. */
    public Builder rateLimit(double perSecond, int burstCalls) {
      ratePerSecond = perSecond;
      burst = burstCalls;
      return this;
    }

    /** See {@link ServerConfig#cacheTtl()}. */
    public Builder cacheTtl(Duration value) {
      cacheTtl = value;
      return this;
    }

    /** See {@link ServerConfig#queryVectors()}. */
    public Builder queryVectors(int value) {
      queryVectors = value;
      return this;
    }

    /** See {@link ServerConfig#tls()}. */
    public Builder tls(Tls value) {
      tls = value;
      return this;
    }

    /** See {@link ServerConfig#wal()}. */
    public Builder wal(Path value) {
      wal = value;
      return this;
    }

    /** See {@link ServerConfig#updates()}. */
    public Builder updates(UpdateLog value) {
      updates = value;
      return this;
    }

    /** See {@link ServerConfig#walFiles()}. */
    public Builder walFiles(FileOps value) {
      walFiles = value;
      return this;
    }

    /**
     * The configuration, every setting checked.
     *
     * @throws IllegalArgumentException naming the first bad setting, its value and what is allowed
     */
    public ServerConfig build() {
      require(host != null && !host.isBlank(), "host must be an address, got '" + host + "'");
      require(
          port >= 0 && port <= 65_535, "port must be from 0 (any free one) to 65535, got " + port);
      require(
          threads >= 1 && threads <= MAX_THREADS,
          "threads must be from 1 to " + MAX_THREADS + ", got " + threads);
      require(searchModel != null && recommendModel != null, "models: both are required");
      require(
          maxConcurrency >= 0,
          "maxConcurrency must be 0 (adaptive) or more, got " + maxConcurrency);
      require(
          Double.isFinite(ratePerSecond) && ratePerSecond >= 0,
          "rate limit must be 0 (none) or more calls per second, got " + ratePerSecond);
      require(
          ratePerSecond == 0 || burst >= 1,
          "rate limit burst must be 1 or more calls with a rate limit, got " + burst);
      require(
          cacheTtl != null && !cacheTtl.isNegative(),
          "cacheTtl must be zero or more, got " + cacheTtl);
      require(queryVectors >= 0, "queryVectors must be 0 (none kept) or more, got " + queryVectors);
      Objects.requireNonNull(walFiles, "walFiles");
      require(
          wal == null || updates == null,
          "updates: a replica follows the cluster's update log or keeps a write-ahead log, not both");
      return new ServerConfig(
          host,
          port,
          threads,
          searchModel,
          recommendModel,
          keys,
          maxConcurrency,
          ratePerSecond,
          burst,
          cacheTtl,
          queryVectors,
          tls,
          wal,
          walFiles,
          updates);
    }

    private static void require(boolean ok, String problem) {
      if (!ok) {
        throw new IllegalArgumentException("server configuration: " + problem);
      }
    }
  }
}
