package com.rock8s.integration.loadtest.measure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the operator's requests from its own {@code integration_operator_api_requests_total}, scraped from each
 * replica's {@code /metrics}. This is how requests and writes per coupling are measured on a cluster, where the
 * harness cannot see the API's side; on the embedded API it cross-checks the API's count.
 *
 * <p>A replica that stops answering (killed, or a port-forward that dropped) keeps its last scraped counts, so its
 * requests up to that scrape still count; what it sent after its last scrape is lost. A counter that goes down is a
 * restarted process: what it had counted is carried over. Shard Lease traffic is not in the metric (it has its own
 * client), so these counts are coupling work only.
 */
public final class OperatorRequestMetrics {
    private static final String FAMILY = "integration_operator_api_requests_total";
    private static final Pattern SAMPLE = Pattern.compile("^" + FAMILY + "\\{([^}]*)\\} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Supplier<List<URI>> endpoints;
    /** Per endpoint: the last counts scraped, and what earlier incarnations of its process had counted. */
    private final Map<URI, Map<Series, Double>> last = new HashMap<>();
    private final Map<URI, Map<Series, Double>> carried = new HashMap<>();

    /** @param endpoints the {@code /metrics} URLs to scrape, asked again at every snapshot (replicas may come later) */
    public OperatorRequestMetrics(Supplier<List<URI>> endpoints) {
        this.endpoints = endpoints;
    }

    /** Scrapes every endpoint and sums the counts; subtract two snapshots for one phase. */
    public synchronized RequestCounter.Snapshot snapshot() {
        for (URI endpoint : endpoints.get()) {
            scrape(endpoint).ifPresent(now -> {
                Map<Series, Double> before = last.getOrDefault(endpoint, Map.of());
                Map<Series, Double> carry = carried.computeIfAbsent(endpoint, e -> new HashMap<>());
                before.forEach((series, value) -> {
                    if (now.getOrDefault(series, 0.0) < value) {
                        carry.merge(series, value, Double::sum);
                    }
                });
                last.put(endpoint, now);
            });
        }
        Map<Series, Double> total = new HashMap<>();
        last.values().forEach(counts -> counts.forEach((s, v) -> total.merge(s, v, Double::sum)));
        carried.values().forEach(counts -> counts.forEach((s, v) -> total.merge(s, v, Double::sum)));
        return snapshotOf(total);
    }

    /** The family's samples in a Prometheus text exposition, by label set. */
    static Map<Series, Double> parse(String text) {
        Map<Series, Double> out = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line.trim());
            if (!sample.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher label = LABEL.matcher(sample.group(1));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            try {
                out.merge(new Series(labels.getOrDefault("verb", ""), labels.getOrDefault("resource", ""),
                        labels.getOrDefault("code", "")), Double.parseDouble(sample.group(2)), Double::sum);
            } catch (NumberFormatException e) {
                // a malformed sample is left out rather than failing the run
            }
        }
        return out;
    }

    /** Counts in the embedded API counter's terms: writes by {@code METHOD resource}, errors by status. */
    static RequestCounter.Snapshot snapshotOf(Map<Series, Double> counts) {
        long requests = 0;
        long writes = 0;
        long leases = 0;
        Map<String, Long> writesByResource = new TreeMap<>();
        Map<String, Long> errors = new TreeMap<>();
        for (Map.Entry<Series, Double> e : counts.entrySet()) {
            Series s = e.getKey();
            long n = Math.round(e.getValue());
            if (s.resource().equals("leases")) {
                leases += n;
                continue;
            }
            requests += n;
            String method = method(s.verb());
            if (RequestCounter.isWrite(method)) {
                writes += n;
                writesByResource.merge(method + " " + s.resource(), n, Long::sum);
            }
            if (!s.code().equals("2xx") && !s.code().equals("3xx")) {
                errors.merge("http " + s.code() + " " + method + " " + s.resource(), n, Long::sum);
            }
        }
        writesByResource.values().removeIf(v -> v == 0);
        errors.values().removeIf(v -> v == 0);
        return new RequestCounter.Snapshot(requests, writes, 0, leases, writesByResource, errors);
    }

    private static String method(String verb) {
        return switch (verb) {
            case "get", "list", "watch" -> "GET";
            case "create" -> "POST";
            case "update" -> "PUT";
            case "patch" -> "PATCH";
            case "delete", "deletecollection" -> "DELETE";
            default -> verb.toUpperCase(java.util.Locale.ROOT);
        };
    }

    private static java.util.Optional<Map<Series, Double>> scrape(URI endpoint) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? java.util.Optional.of(parse(response.body()))
                    : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /** One label set of the family. */
    record Series(String verb, String resource, String code) {
    }
}
