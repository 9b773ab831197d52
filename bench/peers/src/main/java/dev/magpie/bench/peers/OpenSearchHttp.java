package dev.magpie.bench.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The REST calls the peer makes to OpenSearch on loopback, as any client would: JSON in, JSON out,
 * a non-2xx answer an {@link IOException} naming the call and the body.
 */
final class OpenSearchHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String base;

  /** A client of the node listening on {@code 127.0.0.1:port}. */
  OpenSearchHttp(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** {@code method path} with {@code body} ({@code contentType}), the answer parsed. */
  JsonNode call(String method, String path, String body, String contentType)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10));
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          method + " " + path + ": HTTP " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** {@code method path} with a JSON body. */
  JsonNode json(String method, String path, String body) throws IOException, InterruptedException {
    return call(method, path, body, "application/json");
  }

  /** {@code POST path} with newline-delimited JSON (bulk, msearch). */
  JsonNode ndjson(String path, String body) throws IOException, InterruptedException {
    return call("POST", path, body, "application/x-ndjson");
  }
}
