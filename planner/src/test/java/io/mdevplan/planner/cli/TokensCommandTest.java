package io.mdevplan.planner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NL = System.lineSeparator();
    private static final UnaryOperator<String> NO_ENVIRONMENT = name -> null;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private FakeTokenService service;

    @BeforeEach
    void startService() throws IOException {
        service = new FakeTokenService();
    }

    @AfterEach
    void stopService() {
        service.close();
    }

    @Test
    void createPrintsTheSecretAloneAndSendsTheRequestWithTheTokenFromTheFile(@TempDir Path dir) throws IOException {
        var tokenFile = Files.writeString(dir.resolve("admin.token"), FakeTokenService.ADMIN_SECRET + "\n  \n");

        // the file wins over the environment, whose scheduler token would be refused
        assertThat(run(environment(FakeTokenService.SCHEDULER_SECRET), "tokens", "create", "--url", url(),
                "--token-file", tokenFile.toString(), "--name", "agent-node-07", "--role", "executor", "--host",
                "node-07")).as(err.toString()).isZero();

        assertThat(out.toString()).isEqualTo("mdp_secret3" + NL);
        assertThat(err.toString()).isEqualTo("tokens: made token 3 \"agent-node-07\" (role executor, host node-07, "
                + "made by admin); its secret, on standard output, is shown this once." + NL);
        var request = service.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v1/tokens");
        assertThat(request.authorization()).isEqualTo("Bearer " + FakeTokenService.ADMIN_SECRET);
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree(
                "{\"name\": \"agent-node-07\", \"role\": \"executor\", \"host\": \"node-07\"}"));
    }

    @Test
    void createWithoutAHostSendsNone() throws IOException {
        assertThat(run(environment(FakeTokenService.ADMIN_SECRET), "tokens", "create", "--url", url(), "--name",
                "sched-eu2", "--role", "scheduler")).as(err.toString()).isZero();

        assertThat(out.toString()).isEqualTo("mdp_secret3" + NL);
        assertThat(err.toString()).contains("token 3 \"sched-eu2\" (role scheduler, made by admin)");
        assertThat(JSON.readTree(service.requests().get(0).body()))
                .isEqualTo(JSON.readTree("{\"name\": \"sched-eu2\", \"role\": \"scheduler\"}"));
    }

    @Test
    void listPrintsATableWithTheTokenFromTheEnvironment() {
        assertThat(run(environment(FakeTokenService.ADMIN_SECRET), "tokens", "list", "--url", url()))
                .as(err.toString()).isZero();

        assertThat(out.toString().split(NL)).containsExactly(
                "ID  NAME       ROLE       HOST  CREATED               CREATED BY  REVOKED",
                "1   admin      admin      -     2026-11-27T08:01:00Z  -           -",
                "2   sched-eu1  scheduler  -     2026-11-27T08:02:00Z  admin       -");
        var request = service.requests().get(0);
        assertThat(request.method() + " " + request.path()).isEqualTo("GET /api/v1/tokens");
        assertThat(request.authorization()).isEqualTo("Bearer " + FakeTokenService.ADMIN_SECRET);
    }

    @Test
    void listPrintsJsonWhenAsked() throws IOException {
        assertThat(run(environment(FakeTokenService.ADMIN_SECRET), "tokens", "list", "--url", url() + "/", "--json"))
                .as(err.toString()).isZero();

        var tokens = JSON.readTree(out.toString());
        assertThat(tokens).hasSize(2);
        assertThat(tokens.get(1).get("name").asText()).isEqualTo("sched-eu1");
        assertThat(tokens.get(1).get("createdBy").asText()).isEqualTo("admin");
        assertThat(tokens.get(0).has("revokedAt")).isFalse();
    }

    @Test
    void revokePrintsWhatWasRevoked() {
        assertThat(run(environment(FakeTokenService.ADMIN_SECRET), "tokens", "revoke", "2", "--url", url()))
                .as(err.toString()).isZero();

        assertThat(out.toString()).isEqualTo("revoked token 2 \"sched-eu1\" (role scheduler, made by admin) at "
                + FakeTokenService.REVOKED_AT + NL);
        var request = service.requests().get(0);
        assertThat(request.method() + " " + request.path()).isEqualTo("DELETE /api/v1/tokens/2");
        assertThat(request.authorization()).isEqualTo("Bearer " + FakeTokenService.ADMIN_SECRET);
    }

    @Test
    void withoutATokenNothingIsSent(@TempDir Path dir) {
        assertThat(run(NO_ENVIRONMENT, "tokens", "list", "--url", url())).isEqualTo(PlannerCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("No admin token", "MDEVPLAN_TOKEN", "Maybe pass --token-file");

        var missing = dir.resolve("nowhere.token");
        assertThat(run(NO_ENVIRONMENT, "tokens", "list", "--url", url(), "--token-file", missing.toString()))
                .isEqualTo(PlannerCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("--token-file " + missing, "cannot be read", "Maybe");

        assertThat(service.requests()).isEmpty();
    }

    @Test
    void anUnknownTokenExitsTwoWithTheServicesDetailAndHowToGetOne() {
        assertThat(run(environment("mdp_revoked"), "tokens", "list", "--url", url()))
                .isEqualTo(PlannerCli.EXIT_BAD_INPUT);

        assertThat(err.toString()).contains("GET " + url() + "/api/v1/tokens answered 401",
                "The bearer token is not a live token of this service.", "The token is not valid",
                "the admin token the service logged at its first start").doesNotContain("\tat ");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aTokenOfAnotherRoleExitsTwoNamingTheRoleNeeded() {
        assertThat(run(environment(FakeTokenService.SCHEDULER_SECRET), "tokens", "create", "--url", url(), "--name",
                "x", "--role", "planner")).isEqualTo(PlannerCli.EXIT_BAD_INPUT);

        assertThat(err.toString()).contains("answered 403", "it needs one of the roles admin",
                "Maybe use an admin token");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aBadRequestExitsTwoWithEachProblem() {
        assertThat(run(environment(FakeTokenService.ADMIN_SECRET), "tokens", "create", "--url", url(), "--name", "x",
                "--role", "superuser")).isEqualTo(PlannerCli.EXIT_BAD_INPUT);

        assertThat(err.toString()).contains("answered 400 (The token request is not valid): The token request has 1 "
                + "problem", "$.role = \"superuser\": unknown role. Maybe use one of: admin");
        assertThat(run(environment(FakeTokenService.ADMIN_SECRET), "tokens", "revoke", "9", "--url", url()))
                .isEqualTo(PlannerCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("answered 404", "No token has the id 9");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aServiceThatIsNotRunningExitsOneNamingTheUrl() throws IOException {
        URI gone;
        try (var stopped = new FakeTokenService()) {
            gone = stopped.url();
        }
        assertThat(run(environment(FakeTokenService.ADMIN_SECRET), "tokens", "list", "--url", gone.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("Maybe the service is not running at " + gone).doesNotContain("\tat ");
    }

    @Test
    void badValuesExitTwoBeforeAnyRequest() {
        assertThat(run(environment(FakeTokenService.ADMIN_SECRET), "tokens", "list", "--url", "ftp://localhost"))
                .isEqualTo(PlannerCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("--url ftp://localhost", "Maybe use https://");

        assertThat(run(environment(FakeTokenService.ADMIN_SECRET), "tokens", "revoke", "../fleet", "--url", url()))
                .isEqualTo(PlannerCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("../fleet", "Maybe use an id from `tokens list`");

        assertThat(run(environment("mdp_two words"), "tokens", "list", "--url", url()))
                .isEqualTo(PlannerCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("MDEVPLAN_TOKEN", "space or control character");

        assertThat(service.requests()).isEmpty();
    }

    @Test
    void theCommandsAreListedWithHelp() {
        assertThat(run(NO_ENVIRONMENT, "tokens", "--help")).isZero();
        assertThat(out.toString()).contains("create", "list", "revoke");
        assertThat(run(NO_ENVIRONMENT, "tokens", "create", "--help")).isZero();
        assertThat(out.toString()).contains("--token-file", "--role", "--host").doesNotContain("--token ");
    }

    private String url() {
        return service.url().toString();
    }

    private static UnaryOperator<String> environment(String token) {
        return name -> "MDEVPLAN_TOKEN".equals(name) ? token : null;
    }

    private int run(UnaryOperator<String> environment, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return PlannerCli.commandLine(environment).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
    }
}
