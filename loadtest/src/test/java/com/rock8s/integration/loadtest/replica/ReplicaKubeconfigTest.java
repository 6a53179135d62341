package com.rock8s.integration.loadtest.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubeconfig each replica JVM reads: what it names is what fabric8 in the replica will use. */
class ReplicaKubeconfigTest {

    @Test
    void aServiceAccountKubeconfigCarriesTheServerItsCaAndTheTokenOnly(@TempDir Path dir) throws Exception {
        String ca = Base64.getEncoder().encodeToString("-----BEGIN CERTIFICATE-----\nnot a real one\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Config api = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:36443")
                .withCaCertData(ca).withOauthToken("eyJ.token.sig").build();

        Path file = ReplicaFleet.writeKubeconfig(dir.resolve("kubeconfig.yaml"), api);

        Config read = Config.fromKubeconfig(Files.readString(file));
        assertThat(read.getMasterUrl()).startsWith("https://127.0.0.1:36443");
        assertThat(read.getCaCertData()).isEqualTo(ca);
        assertThat(read.getAutoOAuthToken() != null ? read.getAutoOAuthToken() : read.getOauthToken())
                .isEqualTo("eyJ.token.sig");
        assertThat(read.getClientCertData()).isNull();
        assertThat(read.getUsername()).isNull();
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void theEmbeddedApiKubeconfigNamesOnlyItsUrl(@TempDir Path dir) throws Exception {
        Path file = ReplicaFleet.writeKubeconfig(dir.resolve("kubeconfig.yaml"),
                new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:40001").build());

        Config read = Config.fromKubeconfig(Files.readString(file));
        assertThat(read.getMasterUrl()).startsWith("http://127.0.0.1:40001");
        assertThat(read.getCaCertData()).isNull();
        assertThat(read.getAutoOAuthToken()).isNull();
        assertThat(read.getOauthToken()).isNull();
    }
}
