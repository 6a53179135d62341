package com.rock8s.integration.operator.testing;

import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Optional;

/** Reads plug conditions for assertions. */
public final class PlugAssertions {
    private PlugAssertions() {
    }

    public static Optional<Condition> condition(Plug plug, String type) {
        return plug == null || plug.getStatus() == null ? Optional.empty()
                : Conditions.find(plug.getStatus().getConditions(), type);
    }

    public static boolean coupled(Plug plug) {
        return condition(plug, Conditions.READY).map(c -> "True".equals(c.getStatus())).orElse(false)
                && condition(plug, Conditions.COUPLED).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    public static String readyReason(Plug plug) {
        return condition(plug, Conditions.READY).map(Condition::getReason).orElse(null);
    }
}
