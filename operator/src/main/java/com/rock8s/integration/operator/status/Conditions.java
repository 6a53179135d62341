package com.rock8s.integration.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Condition helpers with Kubernetes semantics: lastTransitionTime changes only when the status flips. */
public final class Conditions {
    public static final String COUPLED = "Coupled";
    public static final String READY = "Ready";

    private Conditions() {
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** Returns a copy of {@code conditions} with {@code type} set. */
    public static List<Condition> set(List<Condition> conditions, String type, boolean status, String reason,
                                      String message, Long observedGeneration) {
        List<Condition> updated = new ArrayList<>(conditions == null ? List.of() : conditions);
        Optional<Condition> existing = find(updated, type);
        String statusText = status ? "True" : "False";
        String transition = existing.filter(c -> statusText.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElseGet(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        Condition condition = new ConditionBuilder().withType(type).withStatus(statusText).withReason(reason)
                .withMessage(message).withObservedGeneration(observedGeneration)
                .withLastTransitionTime(transition).build();
        existing.ifPresent(updated::remove);
        updated.add(condition);
        updated.sort((a, b) -> a.getType().compareTo(b.getType()));
        return updated;
    }

    /** True when both lists say the same thing (ignoring the order). */
    public static boolean same(List<Condition> a, List<Condition> b) {
        List<Condition> left = a == null ? List.of() : a;
        List<Condition> right = b == null ? List.of() : b;
        if (left.size() != right.size()) {
            return false;
        }
        for (Condition condition : left) {
            Optional<Condition> other = find(right, condition.getType());
            if (other.isEmpty() || !Objects.equals(condition.getStatus(), other.get().getStatus())
                    || !Objects.equals(condition.getReason(), other.get().getReason())
                    || !Objects.equals(condition.getMessage(), other.get().getMessage())
                    || !Objects.equals(condition.getObservedGeneration(), other.get().getObservedGeneration())) {
                return false;
            }
        }
        return true;
    }
}
