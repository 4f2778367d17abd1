package io.mdevplan.web.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/**
 * Every @QuarkusTest's REST Assured requests carry the test profile's admin token unless a request sets its own
 * Authorization header: the tests of other behaviour need not repeat it, and the tests of authorization
 * (AuthorizationMatrixTest) send their own or none.
 */
public final class AdminTokenByDefault implements QuarkusTestBeforeEachCallback {

    /** %test.mdevplan.auth.bootstrap-admin-token. */
    public static final String ADMIN_TOKEN = "mdp_test-admin-token-00000000000000000000000000";

    private static final Filter ADMIN_UNLESS_SET = (request, response, context) -> {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", "Bearer " + ADMIN_TOKEN);
        }
        return context.next(request, response);
    };

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.replaceFiltersWith(ADMIN_UNLESS_SET);
    }
}
