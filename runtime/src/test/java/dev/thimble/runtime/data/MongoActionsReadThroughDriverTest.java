package dev.thimble.runtime.data;

/** Every case of {@link MongoActionsReadTest} with the reads through the driver and the socket ({@code -Dthimble.db.inProcessReads=false}). */
class MongoActionsReadThroughDriverTest extends MongoActionsReadTest {
    @Override
    boolean inProcessReads() {
        return false;
    }
}
