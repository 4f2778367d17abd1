package io.mdevplan.planner.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

import io.mdevplan.planner.service.BearerToken;
import io.mdevplan.planner.service.TokenClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where the service is and the admin's token, for the {@code tokens} commands. */
final class AdminServiceOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "The service's base URL, http or https, e.g. https://mdevplan.example:8443.")
    private String url;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding an admin token (trailing whitespace ignored). Default: the environment "
                    + "variable " + BearerToken.ENVIRONMENT_VARIABLE + ". There is no option for the token itself: "
                    + "ps would show it.")
    private Path tokenFile;

    /** A client with the admin token; refuses to go on without one, before any request. */
    TokenClient client() {
        var token = BearerToken.find(tokenFile, PlannerCli.environment(command)).orElseThrow(() ->
                new IllegalArgumentException("No admin token: neither --token-file nor "
                        + BearerToken.ENVIRONMENT_VARIABLE + " is given. Maybe pass --token-file "
                        + "~/.mdevplan/admin.token holding the admin token the service logged at its first start "
                        + "(docs/security.md, Tokens)."));
        return new TokenClient(uri(url), token);
    }

    private static URI uri(String value) {
        try {
            return new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--url " + value + " is not a URL (" + e.getReason() + "). "
                    + "Maybe use https://mdevplan.example:8443 or http://localhost:8080.", e);
        }
    }
}
