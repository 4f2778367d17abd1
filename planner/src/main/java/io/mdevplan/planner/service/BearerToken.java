package io.mdevplan.planner.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A token of the mdevplan service, sent as {@code Authorization: Bearer <secret>}. Read from a file or the environment,
 * never from the command line, which {@code ps} shows. Its {@code toString} hides the secret, so a logged value leaks
 * nothing.
 */
public record BearerToken(String secret) {

    /** The environment variable that holds a token when no token file is given. */
    public static final String ENVIRONMENT_VARIABLE = "MDEVPLAN_TOKEN";

    public BearerToken {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("The token is empty. Maybe the token file or " + ENVIRONMENT_VARIABLE
                    + " holds nothing yet: write the secret that POST /api/v1/tokens answered into it.");
        }
        // a space, line break or control character cannot go into a header, and is no part of a token the service made
        if (secret.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("The token contains a space or control character, which no token of the "
                    + "service has. Maybe the file holds more than the secret: keep only the mdp_... line.");
        }
    }

    /**
     * The token from {@code tokenFile} when given (trailing whitespace ignored), else from {@value #ENVIRONMENT_VARIABLE}
     * as {@code environment} answers it; empty when neither is there.
     */
    public static Optional<BearerToken> find(Path tokenFile, UnaryOperator<String> environment) {
        if (tokenFile != null) {
            return Optional.of(read(tokenFile));
        }
        var value = environment.apply(ENVIRONMENT_VARIABLE);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BearerToken(value.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + ": " + e.getMessage(), e);
        }
    }

    private static BearerToken read(Path tokenFile) {
        String text;
        try {
            text = Files.readString(tokenFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + tokenFile + " cannot be read (" + e.getClass()
                    .getSimpleName() + "). Maybe the path is wrong, or the file is readable only by another user.", e);
        }
        try {
            return new BearerToken(text.stripTrailing());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--token-file " + tokenFile + ": " + e.getMessage(), e);
        }
    }

    /** The value of the {@code Authorization} header. */
    public String header() {
        return "Bearer " + secret;
    }

    @Override
    public String toString() {
        return "BearerToken[secret hidden]";
    }
}
