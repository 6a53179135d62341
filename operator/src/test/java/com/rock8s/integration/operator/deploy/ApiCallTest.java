package com.rock8s.integration.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Requests map to the RBAC permission the API server's authorizer checks for them. */
class ApiCallTest {
    private static Permission permission(String method, String path, String query) {
        return ApiCall.of(method, path, query, Map.of()).permission().orElseThrow();
    }

    @Test
    void readsAreGetListOrWatchDependingOnNameAndWatchParameter() {
        assertThat(permission("GET", "/api/v1/namespaces/a/secrets/s", ""))
                .isEqualTo(new Permission("", "secrets", "get"));
        assertThat(permission("GET", "/api/v1/secrets", "labelSelector=x")).isEqualTo(new Permission("", "secrets", "list"));
        assertThat(permission("GET", "/apis/integration.rock8s.com/v1beta1/plugs", "allowWatchBookmarks=true&watch=true"))
                .isEqualTo(new Permission("integration.rock8s.com", "plugs", "watch"));
        assertThat(permission("GET", "/apis/integration.rock8s.com/v1beta1/plugs", "watch=false"))
                .isEqualTo(new Permission("integration.rock8s.com", "plugs", "list"));
    }

    @Test
    void writesMapByMethodAndSubresourcesKeepTheirName() {
        assertThat(permission("POST", "/api/v1/namespaces/a/events", "")).isEqualTo(new Permission("", "events", "create"));
        assertThat(permission("PUT", "/apis/integration.rock8s.com/v1beta1/namespaces/a/sockets/s/status", ""))
                .isEqualTo(new Permission("integration.rock8s.com", "sockets/status", "update"));
        assertThat(permission("PATCH", "/apis/coordination.k8s.io/v1/namespaces/op/leases/l", ""))
                .isEqualTo(new Permission("coordination.k8s.io", "leases", "patch"));
        assertThat(permission("DELETE", "/apis/batch/v1/namespaces/a/jobs/j", ""))
                .isEqualTo(new Permission("batch", "jobs", "delete"));
        assertThat(permission("DELETE", "/apis/batch/v1/namespaces/a/jobs", ""))
                .isEqualTo(new Permission("batch", "jobs", "deletecollection"));
    }

    @Test
    void namespacesAreResourcesThemselvesWithStatusAndFinalizeSubresources() {
        ApiCall namespaced = ApiCall.of("GET", "/api/v1/namespaces/a/configmaps", "", Map.of());
        assertThat(namespaced.namespace()).contains("a");
        assertThat(namespaced.permission()).contains(new Permission("", "configmaps", "list"));
        assertThat(permission("GET", "/api/v1/namespaces/a", "")).isEqualTo(new Permission("", "namespaces", "get"));
        assertThat(permission("PUT", "/api/v1/namespaces/a/finalize", ""))
                .isEqualTo(new Permission("", "namespaces/finalize", "update"));
        assertThat(ApiCall.of("GET", "/api/v1/namespaces/a/status", "", Map.of()).namespace()).isEmpty();
    }

    @Test
    void nonResourceUrlsHaveNoResourcePermission() {
        ApiCall version = ApiCall.of("GET", "/version", "", Map.of());
        assertThat(version.permission()).isEmpty();
        assertThat(version.nonResourcePath()).contains("/version");
        assertThat(ApiCall.of("GET", "/apis/batch/v1", "", Map.of()).permission()).isEmpty();
    }

    @Test
    void impersonationHeadersNeedImpersonatePermissions() {
        ApiCall asServiceAccount = ApiCall.of("GET", "/apis/apps/v1/namespaces/a/deployments/d", "",
                Map.of("impersonate-user", "system:serviceaccount:a:default"));
        assertThat(asServiceAccount.impersonatedAs()).isEqualTo(Optional.of("system:serviceaccount:a:default"));
        assertThat(asServiceAccount.impersonation())
                .containsExactly(new Permission("", "serviceaccounts", "impersonate"));
        ApiCall withGroups = ApiCall.of("GET", "/api/v1/namespaces/a/pods", "", Map.of(
                "impersonate-user", "jane", "impersonate-group", "devs", "impersonate-extra-scopes", "x"));
        assertThat(withGroups.impersonation()).containsExactlyInAnyOrder(
                new Permission("", "users", "impersonate"), new Permission("", "groups", "impersonate"),
                new Permission("authentication.k8s.io", "userextras/scopes", "impersonate"));
        assertThat(ApiCall.of("GET", "/api/v1/pods", "", Map.of()).impersonation()).isEmpty();
    }

    @Test
    void rulesTextGrantsExactlyTheGivenPermissions() {
        var permissions = java.util.Set.of(new Permission("", "secrets", "list"), new Permission("", "secrets", "watch"),
                new Permission("", "configmaps", "list"), new Permission("", "configmaps", "watch"),
                new Permission("batch", "jobs", "get"));
        String yaml = RbacRules.yaml(permissions);
        assertThat(RbacRules.granted(Manifests.documents(yaml).get(0))).containsExactlyInAnyOrderElementsOf(permissions);
        assertThat(yaml).contains("resources: [configmaps, secrets]");
    }

    @Test
    void wildcardsAreRefused() {
        Map<String, Object> role = Manifests.documents("rules:\n- apiGroups: ['']\n  resources: ['*']\n  verbs: [get]\n")
                .get(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RbacRules.granted(role))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wildcard");
    }
}
