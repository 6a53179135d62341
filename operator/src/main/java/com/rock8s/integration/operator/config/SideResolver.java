package com.rock8s.integration.operator.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.rock8s.integration.operator.api.IntegrationSpec;
import com.rock8s.integration.operator.api.Target;
import com.rock8s.integration.operator.api.Var;
import com.rock8s.integration.operator.apparatus.Apparatuses;
import com.rock8s.integration.operator.identity.Impersonation;
import com.rock8s.integration.operator.interfaces.Side;
import com.rock8s.integration.operator.status.CouplingFailure;
import com.rock8s.integration.operator.status.Reason;
import com.rock8s.integration.operator.telemetry.Activity;
import com.rock8s.integration.operator.telemetry.Step;
import com.rock8s.integration.operator.template.TemplateEngine;
import com.rock8s.integration.operator.template.TemplateException;
import com.rock8s.integration.operator.template.TemplateSyntax;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Resolves one side's data, vars, config and result. Every Secret, ConfigMap and var value read is recorded in the
 * pass's {@link InputLog}. Sources live in the owner's namespace only.
 */
public final class SideResolver {
    private final SourceReader sources;
    private final ObjectReader objects;
    private final TemplateEngine templates;
    private final Apparatuses apparatuses;

    /** A side's apparatus {@code /config} answer is merged into its config last. */
    public SideResolver(SourceReader sources, ObjectReader objects, TemplateEngine templates,
                        Apparatuses apparatuses) {
        this.sources = sources;
        this.objects = objects;
        this.templates = templates;
        this.apparatuses = apparatuses;
    }

    /** Data: {@code dataSecretName}, then {@code data}, then {@code dataConfigMapName}. */
    public Map<String, String> data(IntegrationSpec spec, Owner owner, InputLog log) throws CouplingFailure {
        Map<String, String> data = new LinkedHashMap<>();
        data.putAll(secret(owner, spec.getDataSecretName(), "dataSecretName", log));
        putAll(data, spec.getData());
        data.putAll(configMap(owner, spec.getDataConfigMapName(), "dataConfigMapName", log));
        return data;
    }

    /**
     * Config before validation for {@code object}: Secret, inline, templates, ConfigMap, and its apparatus's
     * {@code /config} answer (if it has one) last. The answer counts as an input: when it changes, the coupling is
     * updated.
     */
    public Map<String, String> config(IntegrationSpec spec, Owner owner, HasMetadata object,
                                      Map<String, Object> bindings, InputLog log) throws CouplingFailure {
        Map<String, String> config = new LinkedHashMap<>();
        config.putAll(secret(owner, spec.getConfigSecretName(), "configSecretName", log));
        putAll(config, spec.getConfig());
        config.putAll(renderEach(owner, "configTemplate", spec.getConfigTemplate(), bindings));
        config.putAll(configMap(owner, spec.getConfigConfigMapName(), "configConfigMapName", log));
        if (spec.getApparatus() != null) {
            Map<String, String> answer = apparatuses.config(object, spec, bindings);
            log.record(owner.side().label() + ".apparatus.config", answer);
            config.putAll(answer);
        }
        return config;
    }

    /** Result before validation: Secret, inline, templates, ConfigMap. */
    public Map<String, String> result(IntegrationSpec spec, Owner owner, Map<String, Object> bindings, InputLog log)
            throws CouplingFailure {
        Map<String, String> result = new LinkedHashMap<>();
        result.putAll(secret(owner, spec.getResultSecretName(), "resultSecretName", log));
        putAll(result, spec.getResult());
        result.putAll(renderEach(owner, "resultTemplate", spec.getResultTemplate(), bindings));
        result.putAll(configMap(owner, spec.getResultConfigMapName(), "resultConfigMapName", log));
        return result;
    }

    /**
     * Reads the result's Secret and ConfigMap so that a change to them counts as a change of the coupling's inputs
     * (results are computed later, after the coupled or updated event).
     */
    public void recordResultSources(IntegrationSpec spec, Owner owner, InputLog log) throws CouplingFailure {
        secret(owner, spec.getResultSecretName(), "resultSecretName", log);
        configMap(owner, spec.getResultConfigMapName(), "resultConfigMapName", log);
    }

    /**
     * Resolves vars in the owner's namespace as the owner's service account. {@code nameBindings} feed
     * {@code templateName}/{@code templateNamespace}. When {@code log} is non-null the values count as inputs.
     */
    public Map<String, String> vars(List<Var> vars, Owner owner, Map<String, Object> nameBindings, String field,
                                    InputLog log) throws CouplingFailure {
        Map<String, String> values = new TreeMap<>();
        if (vars == null) {
            return values;
        }
        for (Var var : vars) {
            String value = readVar(var, owner, nameBindings, field);
            values.put(var.getName(), value);
            if (log != null) {
                log.record(owner.side().label() + "." + field + "." + var.getName(), value);
            }
        }
        return values;
    }

    private String readVar(Var var, Owner owner, Map<String, Object> nameBindings, String field)
            throws CouplingFailure {
        Target target = var.getObjref();
        String where = field + " '" + var.getName() + "' of " + owner.describe();
        if (target == null || target.getKind() == null) {
            throw new CouplingFailure(Reason.INVALID_SPEC, where + " needs objref.kind", true);
        }
        String apiVersion = target.getApiVersion();
        if (apiVersion == null || apiVersion.isBlank()) {
            if (target.getVersion() == null || target.getVersion().isBlank()) {
                throw new CouplingFailure(Reason.INVALID_SPEC,
                        where + " needs objref.apiVersion or objref.group and objref.version", true);
            }
            boolean core = target.getGroup() == null || target.getGroup().isBlank();
            apiVersion = core ? target.getVersion() : target.getGroup() + "/" + target.getVersion();
        }
        String name = target.getName();
        String namespace = target.getNamespace();
        try {
            if (target.getTemplateName() != null && !target.getTemplateName().isBlank()) {
                name = templates.render(target.getTemplateName(), nameBindings, owner.syntax()).trim();
            }
            if (target.getTemplateNamespace() != null && !target.getTemplateNamespace().isBlank()) {
                namespace = templates.render(target.getTemplateNamespace(), nameBindings, owner.syntax()).trim();
            }
        } catch (TemplateException e) {
            throw new CouplingFailure(Reason.TEMPLATE_ERROR, where + ": " + e.getMessage(), true);
        }
        if (name == null || name.isBlank()) {
            throw new CouplingFailure(Reason.INVALID_SPEC, where + " needs objref.name or objref.templateName", true);
        }
        if (namespace != null && !namespace.isBlank() && !namespace.equals(owner.namespace())) {
            throw new CouplingFailure(Reason.NAMESPACE_FORBIDDEN, where + ": namespace '" + namespace
                    + "' is not allowed, vars may only read objects in '" + owner.namespace() + "'", true);
        }
        String fieldPath = var.getFieldref() == null ? null : var.getFieldref().getFieldPath();
        if (fieldPath == null || fieldPath.isBlank()) {
            // the Go operator silently yielded ""; a var that names no field is a mistake worth reporting
            throw new CouplingFailure(Reason.INVALID_SPEC, where + " needs fieldref.fieldPath", true);
        }
        FieldPath path;
        try {
            path = FieldPath.parse(fieldPath);
        } catch (IllegalArgumentException e) {
            throw new CouplingFailure(Reason.INVALID_SPEC, where + ": " + e.getMessage(), true);
        }
        Optional<JsonNode> object;
        try {
            object = objects.read(apiVersion, target.getKind(), owner.namespace(), name, owner.serviceAccount());
        } catch (RuntimeException e) {
            throw new CouplingFailure(Reason.VAR_ERROR, where + ": reading " + target.getKind() + " " + name
                    + " failed: " + e.getMessage(), e);
        }
        if (object.isEmpty()) {
            throw new CouplingFailure(Reason.VAR_ERROR, where + ": " + apiVersion + " " + target.getKind() + " "
                    + owner.namespace() + "/" + name + " not found", false);
        }
        return path.read(object.get());
    }

    private Map<String, String> renderEach(Owner owner, String field, Map<String, String> templateMap,
                                           Map<String, Object> bindings) throws CouplingFailure {
        Map<String, String> rendered = new LinkedHashMap<>();
        if (templateMap == null || templateMap.isEmpty()) {
            return rendered;
        }
        try (Activity rendering = Step.current().render(field, field + " of " + owner.describe())) {
            for (Map.Entry<String, String> entry : new TreeMap<>(templateMap).entrySet()) {
                try {
                    rendered.put(entry.getKey(), templates.render(entry.getValue(), bindings, owner.syntax()));
                } catch (TemplateException e) {
                    throw new CouplingFailure(Reason.TEMPLATE_ERROR,
                            field + " '" + entry.getKey() + "' of " + owner.describe() + ": " + e.getMessage(), true);
                }
            }
            rendering.ok();
        }
        return rendered;
    }

    private Map<String, String> secret(Owner owner, String name, String field, InputLog log) throws CouplingFailure {
        return source("Secret", Reason.SECRET_NOT_FOUND, sources::secret, owner, name, field, log);
    }

    private Map<String, String> configMap(Owner owner, String name, String field, InputLog log)
            throws CouplingFailure {
        return source("ConfigMap", Reason.CONFIG_MAP_NOT_FOUND, sources::configMap, owner, name, field, log);
    }

    /** A Secret or ConfigMap in the owner's namespace, recorded as an input; a missing one is an error. */
    private static Map<String, String> source(String kind, Reason missing,
                                              BiFunction<String, String, Optional<Map<String, String>>> lookup,
                                              Owner owner, String name, String field, InputLog log)
            throws CouplingFailure {
        if (name == null || name.isBlank()) {
            return Map.of();
        }
        Map<String, String> data = lookup.apply(owner.namespace(), name).orElseThrow(() -> new CouplingFailure(
                missing, kind + " " + owner.namespace() + "/" + name + " (" + field + " of " + owner.describe()
                + ") not found", true));
        log.record(kind.toLowerCase(Locale.ROOT) + ":" + owner.namespace() + "/" + name, data);
        return data;
    }

    private static void putAll(Map<String, String> target, Map<String, String> source) {
        if (source != null) {
            source.forEach((k, v) -> target.put(k, v == null ? "" : v));
        }
    }

    /** Whose side is being resolved: namespace, identity, template syntax and a name for messages. */
    public record Owner(Side side, String namespace, String name, String serviceAccountName, TemplateSyntax syntax) {
        /** The owner for {@code object}; an unknown template-syntax annotation on it is an {@code InvalidSpec}. */
        public static Owner of(Side side, HasMetadata object, String serviceAccountName) throws CouplingFailure {
            String namespace = object.getMetadata().getNamespace();
            String name = object.getMetadata().getName();
            try {
                return new Owner(side, namespace, name, serviceAccountName, TemplateSyntax.of(object));
            } catch (TemplateException e) {
                throw new CouplingFailure(Reason.INVALID_SPEC, side.label() + " " + namespace + "/" + name + ": "
                        + e.getMessage(), true);
            }
        }

        /** The service account user everything done for this side is done as. */
        public String serviceAccount() {
            return Impersonation.serviceAccountUser(namespace, serviceAccountName);
        }

        public String describe() {
            return side.label() + " " + namespace + "/" + name;
        }
    }
}
