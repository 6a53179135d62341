package com.rock8s.integration.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Sees every request a client sends and the status it got, on the client side, so a test can check which identity
 * the operator used and what it asked for against any API server. Installed on the operator's client by
 * {@link TestCluster}; clients derived from it (impersonated ones) share its HTTP client and are seen too.
 */
public final class RequestRecorder implements Interceptor {
    /**
     * One request as sent.
     *
     * @param method          upper case
     * @param path            without the query string
     * @param query           raw query string, empty when none
     * @param contentType     the {@code Content-Type} header, or null
     * @param impersonateUser the {@code Impersonate-User} header, or null
     * @param status          the response status
     */
    public record Request(String method, String path, String query, String contentType, String impersonateUser,
                          int status) {
    }

    private static final String NAME = "test-request-recorder";
    private final List<Consumer<Request>> listeners = new CopyOnWriteArrayList<>();
    private final List<Interference> interferences = new CopyOnWriteArrayList<>();

    private record Interference(String method, String pathSuffix, Runnable action, AtomicBoolean done) {
    }

    /** A client builder whose HTTP client reports to this recorder. */
    public KubernetesClientBuilder instrument(KubernetesClientBuilder builder) {
        return builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(NAME, this));
    }

    public void addListener(Consumer<Request> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<Request> listener) {
        listeners.remove(listener);
    }

    /**
     * Runs {@code action} once, just before the first {@code method} request to a path ending in {@code pathSuffix}
     * leaves the client: a test uses it to change the object concurrently, so the real server answers that request
     * with a real 409 Conflict.
     */
    public void interfereOnce(String method, String pathSuffix, Runnable action) {
        interferences.add(new Interference(method, pathSuffix, action, new AtomicBoolean()));
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, Interceptor.RequestTags tags) {
        for (Interference interference : interferences) {
            if (interference.method().equals(request.method())
                    && request.uri().getRawPath().endsWith(interference.pathSuffix())
                    && interference.done().compareAndSet(false, true)) {
                interferences.remove(interference);
                interference.action().run();
            }
        }
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        if (listeners.isEmpty()) {
            return;
        }
        String query = request.uri().getRawQuery();
        // fabric8 keeps a body's content type beside the headers until the HTTP implementation sends it
        String contentType = request instanceof StandardHttpRequest standard && standard.getContentType() != null
                ? standard.getContentType() : request.header("Content-Type");
        Request seen = new Request(request.method(), request.uri().getRawPath(), query == null ? "" : query,
                contentType, request.header("Impersonate-User"), response.code());
        listeners.forEach(listener -> listener.accept(seen));
    }
}
