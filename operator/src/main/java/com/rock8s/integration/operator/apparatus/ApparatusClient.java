package com.rock8s.integration.operator.apparatus;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Calls apparatuses over HTTP with bounded waits. Every request has the connect and request timeouts of
 * {@link ApparatusSettings}; transport errors and 5xx answers are retried with exponential backoff and jitter, a 3xx
 * or 4xx answer is not (the apparatus refused, asking again cannot help), and neither is a request that timed out (it
 * already used its whole budget; the reconciler retries the step later). So a call blocks its caller for at most
 * {@code (retries + 1) * (connect + request timeout)} plus the pauses, never without bound.
 *
 * <p>Each request carries {@code Content-Type: application/json} and the operator's {@code User-Agent}, then passes
 * through the caller's decorator (which adds e.g. the W3C {@code traceparent}).
 */
public final class ApparatusClient {
    /** {@code integration-operator/<version>}. */
    public static final String USER_AGENT = "integration-operator/" + version();
    private static final int MESSAGE_BODY_CHARS = 200;

    private final HttpClient http;
    private final ApparatusSettings settings;
    private final Consumer<HttpRequest.Builder> decorator;
    private final ApparatusCallListener listener;

    public ApparatusClient(ApparatusSettings settings) {
        this(settings, request -> { }, ApparatusCallListener.NONE);
    }

    /**
     * @param decorator applied to every request after the default headers
     * @param listener  told about every finished call
     */
    public ApparatusClient(ApparatusSettings settings, Consumer<HttpRequest.Builder> decorator,
                           ApparatusCallListener listener) {
        this.settings = settings;
        this.decorator = decorator;
        this.listener = listener;
        // HTTP/1.1: an h2c upgrade offer confuses small apparatus servers and buys nothing here
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * POSTs {@code json} to {@code <endpoint>/<call>} with retries and returns the body of the 2xx answer.
     *
     * @throws ApparatusCallException when no 2xx answer came; its message names call, URL and status or error
     */
    public String post(Endpoint endpoint, String call, byte[] json) throws ApparatusCallException {
        HttpRequest request = request(endpoint.call(call)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
        return send(call, request, settings.retries());
    }

    /**
     * One {@code GET <endpoint>/ping}, without retries (the caller's readiness wait repeats it): completes with null
     * when it answered 2xx, else with the failure.
     */
    public CompletableFuture<ApparatusCallException> pingAsync(Endpoint endpoint) {
        HttpRequest request = request(endpoint.call("ping")).GET().build();
        long start = System.nanoTime();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> classify("ping", request, response, error, 1))
                .thenApply(attempt -> {
                    listener.called("ping", Duration.ofNanos(System.nanoTime() - start), attempt.failure == null
                            ? CallOutcome.SUCCESS : attempt.failure.outcome(), 1);
                    return attempt.failure;
                });
    }

    private HttpRequest.Builder request(URI url) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(settings.requestTimeout())
                .header("User-Agent", USER_AGENT).header("Accept", "application/json");
        // built once on the caller's thread: the decorator sees the caller's trace context, and retries reuse it
        decorator.accept(builder);
        return builder;
    }

    private String send(String call, HttpRequest request, int retries) throws ApparatusCallException {
        long start = System.nanoTime();
        CompletableFuture<Attempt> result = attempt(call, request, 0, retries);
        Attempt last;
        try {
            last = result.get(bound(retries).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            last = new Attempt(retries + 1, null, new ApparatusCallException(CallOutcome.TIMEOUT, 0, request.uri(),
                    describe(call, request) + " did not finish within " + bound(retries).toSeconds() + "s", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(true);
            last = new Attempt(1, null, new ApparatusCallException(CallOutcome.TIMEOUT, 0, request.uri(),
                    describe(call, request) + " was interrupted", e));
        } catch (ExecutionException e) {
            last = new Attempt(1, null, transportFailure(call, request, e.getCause(), 1));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        CallOutcome outcome = last.failure == null ? CallOutcome.SUCCESS : last.failure.outcome();
        listener.called(call, took, outcome, last.number);
        if (last.failure != null) {
            throw last.failure;
        }
        return last.body;
    }

    /** Sends attempt {@code number} (0-based) and, when it failed in a way worth repeating, schedules the next. */
    private CompletableFuture<Attempt> attempt(String call, HttpRequest request, int number, int retries) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> classify(call, request, response, error, number + 1))
                .thenCompose(attempt -> {
                    if (attempt.failure == null || !retryable(attempt.failure) || number >= retries) {
                        return CompletableFuture.completedFuture(attempt);
                    }
                    return CompletableFuture.supplyAsync(() -> number + 1,
                                    CompletableFuture.delayedExecutor(pause(number).toMillis(), TimeUnit.MILLISECONDS))
                            .thenCompose(next -> attempt(call, request, next, retries));
                });
    }

    private Attempt classify(String call, HttpRequest request, HttpResponse<String> response, Throwable error,
                             int attempts) {
        if (error != null) {
            return new Attempt(attempts, null, transportFailure(call, request, error, attempts));
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new Attempt(attempts, response.body(), null);
        }
        CallOutcome outcome = status >= 500 ? CallOutcome.SERVER_ERROR : CallOutcome.CLIENT_ERROR;
        String body = response.body() == null ? "" : response.body().strip();
        if (body.length() > MESSAGE_BODY_CHARS) {
            body = body.substring(0, MESSAGE_BODY_CHARS) + "...";
        }
        return new Attempt(attempts, null, new ApparatusCallException(outcome, status, request.uri(),
                describe(call, request) + " answered HTTP " + status + attemptsText(attempts)
                        + (body.isEmpty() ? "" : ": " + body), null));
    }

    private static ApparatusCallException transportFailure(String call, HttpRequest request, Throwable error,
                                                           int attempts) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpConnectTimeoutException) {
            return new ApparatusCallException(CallOutcome.UNREACHABLE, 0, request.uri(), describe(call, request)
                    + " could not connect within the connect timeout" + attemptsText(attempts), cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new ApparatusCallException(CallOutcome.TIMEOUT, 0, request.uri(), describe(call, request)
                    + " got no answer within " + request.timeout().map(Duration::toSeconds).orElse(0L) + "s"
                    + attemptsText(attempts), cause);
        }
        String what = cause instanceof ConnectException ? "connection refused"
                : cause instanceof IOException ? String.valueOf(cause.getMessage() == null
                ? cause.getClass().getSimpleName() : cause.getMessage())
                : String.valueOf(cause);
        return new ApparatusCallException(CallOutcome.UNREACHABLE, 0, request.uri(), describe(call, request)
                + " is unreachable (" + what + ")" + attemptsText(attempts), cause);
    }

    /** Transport errors and 5xx may pass; a refusal will not, and a timed-out request already used its budget. */
    private static boolean retryable(ApparatusCallException failure) {
        return failure.outcome() == CallOutcome.SERVER_ERROR || failure.outcome() == CallOutcome.UNREACHABLE;
    }

    /** Exponential backoff with equal jitter: half of the step is fixed, the other half random. */
    private Duration pause(int retry) {
        long base = settings.retryBackoff().toMillis();
        long step = Math.min(base << Math.min(retry, 3), base * 8);
        long half = step / 2;
        return Duration.ofMillis(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }

    /** The longest a call with {@code retries} may take, with a little slack for scheduling. */
    private Duration bound(int retries) {
        Duration perAttempt = settings.connectTimeout().plus(settings.requestTimeout());
        Duration pauses = settings.retryBackoff().multipliedBy(8L * retries);
        return perAttempt.multipliedBy(retries + 1L).plus(pauses).plusSeconds(1);
    }

    private static String describe(String call, HttpRequest request) {
        return "apparatus " + call + " (" + request.method() + " " + request.uri() + ")";
    }

    private static String attemptsText(int attempts) {
        return attempts > 1 ? " after " + attempts + " attempts" : "";
    }

    private static String version() {
        String version = ApparatusClient.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? "dev" : version;
    }

    /** How one attempt (the last one, once the call is over) ended: a body or a failure. */
    private record Attempt(int number, String body, ApparatusCallException failure) {
    }
}
