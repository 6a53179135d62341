package com.rock8s.integration.operator.coupling;

import com.rock8s.integration.operator.api.NamespaceValidation;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.status.CouplingFailure;
import com.rock8s.integration.operator.status.Reason;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A socket's {@code validation}: which plug namespaces it accepts. Patterns are anchored (they must match the whole
 * namespace name) and an invalid one is an error, where the Go operator matched substrings and silently ignored
 * patterns that did not compile.
 */
final class NamespacePolicy {
    private NamespacePolicy() {
    }

    /** Fails when a pattern of the socket does not compile. */
    static void check(Socket socket) throws CouplingFailure {
        NamespaceValidation validation = socket.getSpec().getValidation();
        if (validation == null) {
            return;
        }
        compileAll(socket, "namespaceBlacklist", validation.getNamespaceBlacklist());
        compileAll(socket, "namespaceWhitelist", validation.getNamespaceWhitelist());
    }

    /** Fails with {@code NamespaceForbidden} when the socket does not accept plugs from {@code namespace}. */
    static void admit(Socket socket, String namespace) throws CouplingFailure {
        NamespaceValidation validation = socket.getSpec().getValidation();
        if (validation == null) {
            return;
        }
        if (validation.getNamespaceBlacklist() != null) {
            for (String pattern : validation.getNamespaceBlacklist()) {
                if (compile(socket, "namespaceBlacklist", pattern).matcher(namespace).matches()) {
                    throw new CouplingFailure(Reason.NAMESPACE_FORBIDDEN, "namespace " + namespace
                            + " is blacklisted by socket " + describe(socket) + " (pattern '" + pattern + "')", true);
                }
            }
        }
        if (validation.getNamespaceWhitelist() != null) {
            boolean allowed = false;
            for (String pattern : validation.getNamespaceWhitelist()) {
                allowed |= compile(socket, "namespaceWhitelist", pattern).matcher(namespace).matches();
            }
            if (!allowed) {
                throw new CouplingFailure(Reason.NAMESPACE_FORBIDDEN, "namespace " + namespace
                        + " is not whitelisted by socket " + describe(socket), true);
            }
        }
    }

    private static void compileAll(Socket socket, String field, List<String> patterns) throws CouplingFailure {
        if (patterns != null) {
            for (String pattern : patterns) {
                compile(socket, field, pattern);
            }
        }
    }

    private static Pattern compile(Socket socket, String field, String pattern) throws CouplingFailure {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new CouplingFailure(Reason.INVALID_SPEC, "socket " + describe(socket) + " validation." + field
                    + " entry '" + pattern + "' is not a valid regular expression: " + e.getDescription(), true);
        }
    }

    private static String describe(Socket socket) {
        return socket.getMetadata().getNamespace() + "/" + socket.getMetadata().getName();
    }
}
