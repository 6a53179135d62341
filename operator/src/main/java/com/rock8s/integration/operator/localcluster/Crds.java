package com.rock8s.integration.operator.localcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The operator's CRDs as a checkout ships them in {@code deploy/crds}. */
public final class Crds {
    private Crds() {
    }

    /** Applies {@code deploy/crds} server-side, as an admin would, and waits until the API serves every kind. */
    public static void install(KubernetesClient admin, Path repositoryRoot) {
        List<String> names = new ArrayList<>();
        try (var crds = Files.list(repositoryRoot.resolve("deploy/crds"))) {
            for (Path crd : crds.sorted().toList()) {
                try (InputStream in = Files.newInputStream(crd)) {
                    for (HasMetadata object : admin.load(in).items()) {
                        admin.resource(object).forceConflicts().serverSideApply();
                        names.add(object.getMetadata().getName());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read deploy/crds", e);
        }
        for (String name : names) {
            admin.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(crd ->
                    crd != null && crd.getStatus() != null && crd.getStatus().getConditions().stream()
                            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
                    60, TimeUnit.SECONDS);
        }
    }
}
