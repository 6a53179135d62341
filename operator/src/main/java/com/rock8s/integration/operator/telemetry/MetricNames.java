package com.rock8s.integration.operator.telemetry;

import java.util.List;

/**
 * Every metric family the operator exports itself, as Prometheus shows them. Labels carry bounded values only
 * (reasons, events, sides, actions, outcomes, controller names), never an object's name.
 */
public final class MetricNames {
    /** Coupling passes that did something, by {@code outcome}: {@code CouplingSucceeded} or the failure reason. */
    public static final String COUPLINGS = "integration_operator_couplings_total";
    /** Seconds from a plug's creation (or its last decoupling) until its {@code coupled} event completed. */
    public static final String COUPLING_DURATION = "integration_operator_coupling_duration_seconds";
    /** Lifecycle events run, by {@code event}, {@code side} and {@code outcome}. */
    public static final String LIFECYCLE_EVENTS = "integration_operator_lifecycle_events_total";
    /** Apparatus calls by {@code endpoint} (the event path) and {@code outcome}: a histogram in seconds. */
    public static final String APPARATUS_CALL_DURATION = "integration_operator_apparatus_call_duration_seconds";
    /** Rendering of one templated entry by {@code template}: resource, resultResource, configTemplate, resultTemplate. */
    public static final String TEMPLATE_RENDER_DURATION = "integration_operator_template_render_duration_seconds";
    /** Objects applied, deleted or recreated, by {@code action} and {@code outcome}. */
    public static final String RESOURCE_APPLIES = "integration_operator_resource_applies_total";
    /** Reconciles waiting for a worker thread, by {@code controller}. */
    public static final String WORK_QUEUE_DEPTH = "integration_operator_work_queue_depth";
    /** Reconciles running now, by {@code controller}. */
    public static final String RECONCILES_IN_FLIGHT = "integration_operator_reconciles_in_flight";
    /** Requests the operator's Kubernetes client sent, by {@code verb}, {@code resource} and {@code code} class. */
    public static final String API_REQUESTS = "integration_operator_api_requests_total";

    /** The families above (histograms by their {@code _seconds} base name). */
    public static final List<String> OWN = List.of(COUPLINGS, COUPLING_DURATION, LIFECYCLE_EVENTS,
            APPARATUS_CALL_DURATION, TEMPLATE_RENDER_DURATION, RESOURCE_APPLIES, WORK_QUEUE_DEPTH,
            RECONCILES_IN_FLIGHT, API_REQUESTS);

    private MetricNames() {
    }

    /** The Micrometer name of a family: Prometheus adds {@code _total} to counters and {@code _seconds} to timers. */
    static String meter(String family) {
        if (family.endsWith("_total")) {
            return family.substring(0, family.length() - "_total".length());
        }
        if (family.endsWith("_seconds")) {
            return family.substring(0, family.length() - "_seconds".length());
        }
        return family;
    }
}
