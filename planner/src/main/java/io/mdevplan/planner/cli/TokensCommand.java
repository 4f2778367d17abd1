package io.mdevplan.planner.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.mdevplan.planner.service.TokenClient.TokenView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "tokens", mixinStandardHelpOptions = true,
        description = "Makes, lists and revokes the service's API tokens (POST, GET, DELETE /api/v1/tokens), with an "
                + "admin token from --token-file or MDEVPLAN_TOKEN.",
        subcommands = { TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class })
final class TokensCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Makes a token and prints its secret alone on standard output (so `> file` stores it; it is "
                    + "shown this once), and a summary on standard error.")
    static final class Create implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Mixin
        private AdminServiceOptions service;

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "A name unique among live tokens, e.g. sched-eu1 or agent-node-07.")
        private String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "admin, planner, scheduler or executor (docs/security.md).")
        private String role;

        @Option(names = "--host", paramLabel = "HOST",
                description = "The one host an executor token is bound to; only for --role executor.")
        private String host;

        @Override
        public Integer call() {
            var created = service.client().create(name, role, host);
            var out = spec.commandLine().getOut();
            out.println(created.secret());
            out.flush();
            var err = spec.commandLine().getErr();
            err.println("tokens: made " + describe(created.token()) + "; its secret, on standard output, is shown "
                    + "this once.");
            err.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists every token, live and revoked, without secrets: a table, or JSON with --json.")
    static final class ListTokens implements Callable<Integer> {

        private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        @Spec
        private CommandSpec spec;

        @Mixin
        private AdminServiceOptions service;

        @Option(names = "--json", description = "Print the tokens as a JSON array, as the service lists them.")
        private boolean json;

        @Override
        public Integer call() throws JsonProcessingException {
            var tokens = service.client().list();
            var out = spec.commandLine().getOut();
            out.print(json ? JSON.writeValueAsString(tokens) + System.lineSeparator() : table(tokens));
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes a token at once (within the service's cache time on its other replicas); it stays "
                    + "listed with the time.")
    static final class Revoke implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Mixin
        private AdminServiceOptions service;

        @Parameters(paramLabel = "ID", description = "The token's id, as `tokens list` shows it.")
        private String id;

        @Override
        public Integer call() {
            var revoked = service.client().revoke(id);
            var out = spec.commandLine().getOut();
            out.println("revoked " + describe(revoked) + " at " + revoked.revokedAt());
            out.flush();
            return 0;
        }
    }

    /** One line: token 4 "agent-node-07" (role executor, host node-07, made by admin). */
    private static String describe(TokenView token) {
        return "token " + token.id() + " \"" + token.name() + "\" (role " + token.role()
                + (token.host() == null ? "" : ", host " + token.host()) + ", made by " + dash(token.createdBy())
                + ")";
    }

    /** Columns as wide as their widest value, "-" where the service gave none. */
    private static String table(List<TokenView> tokens) {
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("ID", "NAME", "ROLE", "HOST", "CREATED", "CREATED BY", "REVOKED"));
        for (var token : tokens) {
            rows.add(List.of(dash(token.id()), dash(token.name()), dash(token.role()), dash(token.host()),
                    dash(token.createdAt()), dash(token.createdBy()), dash(token.revokedAt())));
        }
        var widths = new int[rows.get(0).size()];
        for (var row : rows) {
            for (var c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        var text = new StringBuilder();
        for (var row : rows) {
            var line = new StringBuilder();
            for (var c = 0; c < widths.length; c++) {
                line.append(c == 0 ? "" : "  ").append(row.get(c)).append(" ".repeat(widths[c] - row.get(c).length()));
            }
            text.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return text.toString();
    }

    private static String dash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
