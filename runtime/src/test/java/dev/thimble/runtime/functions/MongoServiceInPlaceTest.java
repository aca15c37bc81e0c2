package dev.thimble.runtime.functions;

import org.junit.jupiter.api.BeforeAll;

/**
 * Decision 0042: every test of {@link MongoServiceTest} again, with the service client saying it answers
 * in process (the embedded database), so each awaited call runs on the function's own thread and its
 * promise is settled at once: results, {@code Promise.all}, rejections and their messages are the same.
 */
class MongoServiceInPlaceTest extends MongoServiceTest {

    @BeforeAll
    static void start() {
        startWith(true);
    }
}
