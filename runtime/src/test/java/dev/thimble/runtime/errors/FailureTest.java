package dev.thimble.runtime.errors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one table from a failure's kind to the status the edge answers with, which clients rely on. */
class FailureTest {
    @Test
    void eachDomainKindAnswersWithItsStatus() {
        assertThat(new InvalidInput("InvalidParameter", "m").status()).isEqualTo(400);
        assertThat(Unauthenticated.invalidSession("m")).satisfies(f -> {
            assertThat(f.status()).isEqualTo(401);
            assertThat(f.code()).isEqualTo("InvalidSession");
        });
        assertThat(new Forbidden("NoMatchingRuleFound", "m").status()).isEqualTo(403);
        assertThat(new NotFound("FunctionNotFound", "m").status()).isEqualTo(404);
        assertThat(new MethodNotAllowed("BadRequest", "m").status()).isEqualTo(405);
        assertThat(new Conflict("AccountNameInUse", "m").status()).isEqualTo(409);
        assertThat(LimitExceeded.tooLarge("RequestTooLarge", "m").status()).isEqualTo(413);
        assertThat(LimitExceeded.tooManyRequests("TooManyRequests", "m").status()).isEqualTo(429);
        assertThat(new InternalFailure("InternalServerError", "m").status()).isEqualTo(500);
        assertThat(new NotImplemented("NotImplemented", "m").status()).isEqualTo(501);
        assertThat(new Unavailable("MongoDBError", "m").status()).isEqualTo(503);
    }

    @Test
    void anEdgeErrorKeepsItsStatusAndGetsTheKindOfIt() {
        ApiError gone = new ApiError(410, "Gone", "m");
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.kind()).isEqualTo(Failure.Kind.INVALID_INPUT);
        assertThat(new ApiError(404, "AppNotFound", "m").kind()).isEqualTo(Failure.Kind.NOT_FOUND);
    }

    @Test
    void decorationsStayOnTheFailureThatIsThrown() {
        Failure refused = new Forbidden("NoMatchingRuleFound", "insertOne: refused. Nothing was written.")
                .withDetails("write: false", "the whole decision with values").withLink("https://x/logs?co_id=1")
                .withRetryAfterSeconds(7);
        assertThat(refused).isInstanceOf(Forbidden.class);
        assertThat(refused.detail()).isEqualTo("write: false");
        assertThat(refused.logMessage()).isEqualTo("insertOne: refused. Nothing was written. — the whole decision with values");
        assertThat(refused.link()).isEqualTo("https://x/logs?co_id=1");
        assertThat(refused.retryAfterSeconds()).isEqualTo(7);
    }
}
