package com.rock8s.integration.operator.apparatus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rock8s.integration.operator.api.Apparatus;
import com.rock8s.integration.operator.api.IntegrationSpec;
import com.rock8s.integration.operator.api.When;
import com.rock8s.integration.operator.apparatus.Endpoint.InvalidEndpointException;
import com.rock8s.integration.operator.apparatus.ManagedApparatus.ApparatusUnavailableException;
import com.rock8s.integration.operator.status.CouplingFailure;
import com.rock8s.integration.operator.status.Reason;
import com.rock8s.integration.operator.telemetry.Activity;
import com.rock8s.integration.operator.telemetry.Step;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls a coupling step makes to a side's apparatus: {@code POST /config} while that side's config is resolved,
 * and {@code POST /<event>} first thing in each lifecycle event. A managed apparatus is started (Pod and Service) and
 * waited for before the call, and its idle deadline is moved after it. Every failure becomes a {@link CouplingFailure}
 * whose message names the call, the URL and the status: {@code ApparatusError} for an answer other than 2xx,
 * {@code ApparatusUnavailable} for no answer, {@code InvalidSpec} for an endpoint that cannot be called.
 */
public final class Apparatuses {
    private static final Logger LOG = LoggerFactory.getLogger(Apparatuses.class);
    private static final ObjectMapper JSON = Serialization.jsonMapper();
    /** The {@code version} field of every request body. */
    public static final int WIRE_VERSION = 1;

    private final ApparatusClient client;
    private final ManagedApparatus managed;
    private final ApparatusSettings settings;

    public Apparatuses(ApparatusClient client, ManagedApparatus managed, ApparatusSettings settings) {
        this.client = client;
        this.managed = managed;
        this.settings = settings;
    }

    /**
     * Calls {@code /config} of {@code owner}'s apparatus with {@code vars}, {@code plug}, {@code socket},
     * {@code plugData} and {@code socketData} (from {@code bindings}) and returns its answer as config: each
     * top-level value as text (strings as they are, other values as JSON; nulls are left out). Empty without an
     * apparatus.
     */
    public Map<String, String> config(HasMetadata owner, IntegrationSpec spec, Map<String, Object> bindings)
            throws CouplingFailure {
        if (spec.getApparatus() == null) {
            return Map.of();
        }
        Map<String, Object> body = body();
        for (String key : new String[] {"vars", "plug", "socket", "plugData", "socketData"}) {
            body.put(key, bindings.get(key));
        }
        String answer = call(owner, spec, "config", body);
        JsonNode tree;
        try {
            tree = answer == null || answer.isBlank() ? JSON.createObjectNode() : JSON.readTree(answer);
        } catch (JsonProcessingException e) {
            throw new CouplingFailure(Reason.APPARATUS_ERROR, describe(owner) + ": apparatus config answered "
                    + "something that is not JSON: " + e.getOriginalMessage(), false);
        }
        if (!tree.isObject()) {
            throw new CouplingFailure(Reason.APPARATUS_ERROR, describe(owner) + ": apparatus config answered a JSON "
                    + tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ", expected an object", false);
        }
        Map<String, String> config = new TreeMap<>();
        tree.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (!value.isNull()) {
                config.put(field.getKey(), value.isTextual() ? value.textValue() : value.toString());
            }
        });
        return config;
    }

    /**
     * Calls {@code /<event>} of {@code owner}'s apparatus, if it has one. {@code plug}, {@code socket},
     * {@code plugConfig} and {@code socketConfig} go into the body when not null ({@code created} and {@code deleted}
     * carry only the owner's object).
     */
    public void event(When event, HasMetadata owner, IntegrationSpec spec, Map<String, Object> plug,
                      Map<String, Object> socket, Map<String, String> plugConfig, Map<String, String> socketConfig)
            throws CouplingFailure {
        if (spec.getApparatus() == null) {
            return;
        }
        Map<String, Object> body = body();
        putIfPresent(body, "plug", plug);
        putIfPresent(body, "socket", socket);
        putIfPresent(body, "plugConfig", plugConfig);
        putIfPresent(body, "socketConfig", socketConfig);
        call(owner, spec, event.wireName(), body);
    }

    private String call(HasMetadata owner, IntegrationSpec spec, String call, Map<String, Object> body)
            throws CouplingFailure {
        Apparatus apparatus = spec.getApparatus();
        String namespace = owner.getMetadata().getNamespace();
        Endpoint endpoint;
        try {
            endpoint = Endpoint.resolve(apparatus, owner.getMetadata().getName(), namespace, settings.serviceUrl());
        } catch (InvalidEndpointException e) {
            throw new CouplingFailure(Reason.INVALID_SPEC, describe(owner) + ": " + e.getMessage(), true);
        }
        Pod pod = null;
        if (endpoint.managed()) {
            try {
                pod = managed.ensure(owner, spec, endpoint);
                managed.awaitReady(pod, endpoint);
            } catch (ApparatusUnavailableException e) {
                throw new CouplingFailure(Reason.APPARATUS_UNAVAILABLE, describe(owner) + ": apparatus " + call
                        + " cannot be called: " + e.getMessage(), false);
            } catch (KubernetesClientException e) {
                throw new CouplingFailure(Reason.API_ERROR, describe(owner) + ": starting the apparatus failed: "
                        + e.getMessage(), e);
            }
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new CouplingFailure(Reason.APPARATUS_ERROR, describe(owner) + ": the " + call
                    + " request could not be written as JSON: " + e.getOriginalMessage(), false);
        }
        String answer;
        try (Activity activity = Step.current().apparatusCall("POST", call)) {
            try {
                answer = client.post(endpoint, call, json);
                activity.ok();
            } catch (ApparatusCallException e) {
                activity.fail(e, e.outcome().label());
                if (pod != null && e.outcome() == CallOutcome.UNREACHABLE) {
                    managed.forget(pod);
                }
                LOG.info("event=apparatus_call_failed call={} owner={} outcome={} status={} url={}", call,
                        describe(owner), e.outcome().label(), e.status(), e.url());
                boolean answered = e.outcome() == CallOutcome.CLIENT_ERROR || e.outcome() == CallOutcome.SERVER_ERROR;
                throw new CouplingFailure(answered ? Reason.APPARATUS_ERROR : Reason.APPARATUS_UNAVAILABLE,
                        describe(owner) + ": " + e.getMessage(), e);
            }
        }
        if (pod != null) {
            managed.touch(pod, ManagedApparatus.idleTimeout(apparatus));
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("event=apparatus_called call={} owner={} url={}", call, describe(owner), endpoint.call(call));
        }
        return answer;
    }

    private static Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", WIRE_VERSION);
        return body;
    }

    private static void putIfPresent(Map<String, Object> body, String key, Object value) {
        if (value != null) {
            body.put(key, value);
        }
    }

    private static String describe(HasMetadata owner) {
        String kind = owner.getKind() == null ? "object" : owner.getKind().toLowerCase(java.util.Locale.ROOT);
        return kind + " " + owner.getMetadata().getNamespace() + "/" + owner.getMetadata().getName();
    }
}
