package com.rock8s.integration.operator.telemetry;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every request the operator's Kubernetes client sends, as {@link MetricNames#API_REQUESTS} by
 * {@code verb}, {@code resource} and {@code code}. It is a fabric8 HTTP interceptor, so it sees each attempt
 * (a request retried after a 5xx counts twice), every watch, and the requests of clients derived from the
 * instrumented one (impersonated clients share its HTTP client).
 *
 * <p>Labels stay bounded whatever the templates create: {@code resource} is one of {@link #RESOURCES}, with
 * {@code plugs/status} and {@code sockets/status} told apart, or {@code other}; {@code code} is a class
 * ({@code 2xx}, {@code 3xx}, {@code 4xx}, {@code 5xx}) except for {@code 404}, {@code 409} and {@code 429}, which
 * mean something specific to an operator, and {@code error} when no response came. A watch's
 * {@code 101 Switching Protocols} counts as {@code 2xx}. fabric8 reports a failed connection only when it decides
 * whether to retry, so the last attempt of a request that ran out of retries is not counted.
 *
 * <p>Counting starts when the client is built; {@link #bindTo} exports what was counted so far and everything
 * after, so requests made before the metrics registry exists are not lost.
 */
public final class ApiRequestMetrics implements Interceptor, MeterBinder {
    /** The resources the operator reads or writes as itself; templated objects of other kinds are {@code other}. */
    public static final Set<String> RESOURCES = Set.of("plugs", "plugs/status", "sockets", "sockets/status",
            "deferredresources", "deferredresources/status", "secrets", "configmaps", "events", "pods", "services",
            "namespaces", "leases", "customresourcedefinitions");
    static final String OTHER = "other";
    private static final String INTERCEPTOR_NAME = "integration-operator-api-requests";

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    /** A client builder whose HTTP client reports to this instance. */
    public KubernetesClientBuilder instrument(KubernetesClientBuilder builder) {
        return builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(INTERCEPTOR_NAME, this));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        synchronized (counts) {
            registries.add(registry);
            counts.forEach((key, count) -> register(registry, key, count));
        }
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        count(request, code(response.code()));
    }

    @Override
    public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        count(request, "error");
    }

    /** Requests counted so far with these labels (tests and the load-test harness's cross-checks). */
    public long count(String verb, String resource, String code) {
        LongAdder count = counts.get(new Key(verb, resource, code));
        return count == null ? 0 : count.sum();
    }

    private void count(HttpRequest request, String code) {
        Key key = Key.of(request.method(), request.uri(), code);
        LongAdder count = counts.get(key);
        if (count == null) {
            // a new label set is rare (bounded labels): take the lock so a concurrent bindTo cannot miss it
            synchronized (counts) {
                count = counts.computeIfAbsent(key, k -> new LongAdder());
                for (MeterRegistry registry : registries) {
                    register(registry, key, count);
                }
            }
        }
        count.increment();
    }

    private static void register(MeterRegistry registry, Key key, LongAdder count) {
        FunctionCounter.builder(MetricNames.meter(MetricNames.API_REQUESTS), count, LongAdder::doubleValue)
                .description("Requests the operator's Kubernetes client sent, by verb, resource and response code")
                .tag("verb", key.verb()).tag("resource", key.resource()).tag("code", key.code())
                .register(registry);
    }

    static String code(int status) {
        return switch (status) {
            case 404, 409, 429 -> Integer.toString(status);
            default -> status < 300 ? "2xx" : (status / 100) + "xx";
        };
    }

    /**
     * One label set.
     *
     * @param verb the Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection, or the
     *             HTTP method in lower case for anything else
     * @param resource one of {@link #RESOURCES} or {@code other}
     * @param code see the class comment
     */
    record Key(String verb, String resource, String code) {

        static Key of(String method, URI uri, String code) {
            Path path = Path.parse(uri.getRawPath());
            String resource = RESOURCES.contains(path.resource()) ? path.resource() : OTHER;
            return new Key(verb(method, path.named(), uri.getRawQuery()), resource, code);
        }

        private static String verb(String method, boolean named, String query) {
            return switch (method) {
                case "GET" -> watch(query) ? "watch" : named ? "get" : "list";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> named ? "delete" : "deletecollection";
                default -> method.toLowerCase(java.util.Locale.ROOT);
            };
        }

        private static boolean watch(String query) {
            if (query == null) {
                return false;
            }
            for (String parameter : query.split("&")) {
                if (parameter.equals("watch=true") || parameter.equals("watch=1")) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * What an API path addresses: {@code /apis/g/v/namespaces/ns/plugs/p/status} is resource {@code plugs/status},
     * named; {@code /api/v1/namespaces/ns/events} is {@code events}, not named; {@code /api/v1/namespaces/ns} is
     * {@code namespaces}, named. Paths outside {@code /api} and {@code /apis} ({@code /version}) and discovery
     * have an empty resource and count as named, so that reading them is a {@code get}.
     */
    record Path(String resource, boolean named) {

        static Path parse(String raw) {
            String[] parts = raw == null ? new String[0] : raw.replaceAll("^/+|/+$", "").split("/");
            int start;
            if (parts.length > 0 && parts[0].equals("api")) {
                start = 2;
            } else if (parts.length > 0 && parts[0].equals("apis")) {
                start = 3;
            } else {
                return new Path("", true);
            }
            if (parts.length > start + 2 && parts[start].equals("namespaces")) {
                start += 2;
            }
            if (parts.length <= start) {
                return new Path("", true);
            }
            String plural = parts[start];
            boolean named = parts.length > start + 1;
            String subresource = parts.length > start + 2 ? parts[start + 2] : null;
            return new Path("status".equals(subresource) ? plural + "/status" : plural, named);
        }
    }
}
