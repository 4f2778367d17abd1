package io.mdevplan.web.placement;

import java.util.List;

/**
 * The body of POST /api/v1/placements:batch: requests placed together by the solver under one policy (default: the
 * default policy). {@code mode} "as-many-as-fit" (default) places what fits and answers each request; "all" places
 * all of them or none. {@code timeLimitMillis} bounds the solve (default mdevplan.placement.batch-time-limit).
 */
public record BatchBody(List<PlacementBody> requests, String mode, String policy, Long timeLimitMillis) {

    public static final String AS_MANY_AS_FIT = "as-many-as-fit";
    public static final String ALL = "all";
}
