package io.mdevplan.web.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mdevplan.web.testing.AdminTokenByDefault;
import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.ServiceReplica;

/**
 * The TLS set-up docs/security.md gives, on the jar: a keystore in the TLS registry, an HTTPS port, plain HTTP closed.
 * A client that trusts the certificate gets answers; one that does not, as the executor with the JDK's trust store,
 * refuses the handshake; nothing answers on the plain port.
 */
class TlsIT {

    private static final String PASSWORD = "tls-it-secret";
    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void theServiceAnswersOverHttpsOnlyWithItsCertificate() throws Exception {
        var keystore = dir.resolve("tls.p12");
        var keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "mdevplan", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

        var httpsPort = freePort();
        var postgres = new PostgresTestResource();
        var service = ServiceReplica.launch("tls", dir, postgres.start(), Map.of(
                "quarkus.tls.key-store.p12.path", keystore.toString(),
                "quarkus.tls.key-store.p12.password", PASSWORD,
                "quarkus.http.ssl-port", Integer.toString(httpsPort),
                "quarkus.http.insecure-requests", "disabled"));
        try {
            var trusting = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
            var base = URI.create("https://localhost:" + httpsPort);
            awaitReady(service, trusting, base.resolve("/q/health/ready"));

            var status = trusting.send(HttpRequest.newBuilder(base.resolve("/api/v1/status"))
                    .header("Authorization", "Bearer " + AdminTokenByDefault.ADMIN_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
            assertThat(status.body()).contains("\"service\":\"mdevplan\"");

            var jdkTrust = HttpClient.newHttpClient();
            assertThatThrownBy(() -> jdkTrust.send(HttpRequest.newBuilder(base.resolve("/q/health")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
            assertThatThrownBy(() -> jdkTrust.send(HttpRequest.newBuilder(service.uri("/q/health")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ServiceReplica.logsOf(List.of(service), 80), e);
        } finally {
            service.stop();
            postgres.stop();
        }
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        var store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        var context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static void awaitReady(ServiceReplica service, HttpClient client, URI ready) throws Exception {
        var deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(service.process().isAlive()).as("the service exited").isTrue();
            try {
                if (client.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling until the deadline
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Not ready over HTTPS within " + STARTUP);
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
