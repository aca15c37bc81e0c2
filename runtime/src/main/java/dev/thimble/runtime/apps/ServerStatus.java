package dev.thimble.runtime.apps;

/**
 * What the in-process server is doing, for the status bar.
 *
 * @param baseUrl      e.g. {@code http://127.0.0.1:8080}; "" when stopped
 * @param clientApiUrl the app's client API root; "" when stopped
 * @param database     {@code Database.describe()} of the database in use; "" when stopped
 * @param notice       something the user should know about a successful start (the port fell back), or ""
 * @param error        why the server is not running when it should be (what happened and what to do), or ""
 */
public record ServerStatus(boolean running, String baseUrl, String clientApiUrl, String database, String notice, String error) {

    public static ServerStatus stopped() {
        return new ServerStatus(false, "", "", "", "", "");
    }

    public static ServerStatus failed(String error) {
        return new ServerStatus(false, "", "", "", "", error);
    }
}
