package dev.thimble.runtime.admin;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of the vendor's document is either one of ours or answers 501 naming what is not
 * served, never 404 or 500; and every route of ours is an operation of the document (or one real
 * clients use beyond it, listed here).
 */
class AdminRoutesCoverageTest {
    /** Routes real clients use that the document lacks (NOTES of the admin API: login variants, export's siblings). */
    private static final List<String> BEYOND_THE_DOCUMENT = List.of(
            "POST /auth/providers/local-userpass/login", "POST /auth/providers/api-key/login",
            "PATCH /groups/{groupId}/apps/{appId}/auth_providers/{providerId}",
            "PATCH /groups/{groupId}/apps/{appId}/services/{serviceId}/config",
            "PUT /groups/{groupId}/apps/{appId}/auth_providers/{providerId}",
            "PUT /groups/{groupId}/apps/{appId}/services/{serviceId}/default_rule",
            "DELETE /groups/{groupId}/apps/{appId}/services/{serviceId}/default_rule",
            "POST /groups/{groupId}/apps/{appId}/import");
    /** Thimble's own read-only routes, documented in the README's admin section (the vendor had nothing like them). */
    private static final List<String> THIMBLES_OWN = List.of("GET " + SyncSessionsResource.PATH);
    /** How many operations of the document answer 501 today. */
    private static final int UNSERVED_OPERATIONS = 94;
    /** Operations of the issue's list that were served last: they must stay served. */
    private static final List<String> SERVED_LAST = List.of(
            "GET /groups/{groupId}/apps/{appId}/security/allowed_request_origins",
            "POST /groups/{groupId}/apps/{appId}/security/allowed_request_origins",
            "POST /groups/{groupId}/apps/{appId}/services/{serviceId}/commands/{commandName}",
            "GET /groups/{groupId}/apps/{appId}/services/{serviceId}/commands/build_info",
            "POST /groups/{groupId}/apps/{appId}/services/{serviceId}/commands/generate_schema",
            "PATCH /groups/{groupId}/apps/{appId}/services/{serviceId}",
            "POST /groups/{groupId}/apps/{appId}/debug/execute_function_source",
            "POST /groups/{groupId}/apps/{appId}/user_registrations/by_email/{email}/run_confirm");
    @TempDir
    static Path homeDir;
    static AdminServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new AdminServer(homeDir);
        server.loginWithCloudKey();
        var app = server.call("POST", "/groups/{groupId}/apps", Map.of("name", "probe")).json();
        server.params.put("appId", app.get("_id").asText());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyOperationOfTheDocumentThatThimbleDoesNotServeAnswers501NamingTheFeature() throws Exception {
        Assumptions.assumeTrue(server.contract.isPresent(), AdminContract.missing());
        TreeSet<String> ours = new TreeSet<>();
        server.api.routes().all().forEach(r -> ours.add(r.method() + " " + r.template()));
        List<String> wrong = new ArrayList<>();
        int unserved = 0;
        for (String[] op : server.contract.get().operations()) {
            String key = op[0] + " " + op[1];
            if (ours.contains(key)) {
                continue;
            }
            unserved++;
            AdminServer.Reply reply = server.call(op[0], op[1].replaceAll("\\{(?!groupId|appId)[^}]+}", "000000000000000000000001"),
                    op[0].equals("GET") || op[0].equals("DELETE") ? null : Map.of());
            if (reply.status() != 501 || !reply.json().get("error").asText().startsWith("Thimble does not serve")) {
                wrong.add(key + " → " + reply.status() + " " + reply.body());
            }
        }
        assertThat(wrong).isEmpty();
        // lower it when a route of the document is served (it was 102 before allowed origins, service commands and
        // update, execute_function_source and run_confirm were)
        assertThat(unserved).as("operations of the document answering 501").isEqualTo(UNSERVED_OPERATIONS);
        System.out.println("Admin API: " + ours.size() + " routes served, " + unserved + " operations of the document answer 501");
    }

    @Test
    void everyRouteOfOursIsAnOperationOfTheDocumentOrOneRealClientsUseBeyondIt() {
        Assumptions.assumeTrue(server.contract.isPresent(), AdminContract.missing());
        TreeSet<String> documented = new TreeSet<>();
        server.contract.get().operations().forEach(op -> documented.add(op[0] + " " + op[1]));
        List<String> undocumented = server.api.routes().all().stream().map(r -> r.method() + " " + r.template())
                .filter(k -> !documented.contains(k) && !BEYOND_THE_DOCUMENT.contains(k) && !THIMBLES_OWN.contains(k)).toList();
        assertThat(undocumented).isEmpty();
    }

    @Test
    void theRoutesOfTheIssuesListServedLastAreServed() {
        TreeSet<String> ours = new TreeSet<>();
        server.api.routes().all().forEach(r -> ours.add(r.method() + " " + r.template()));
        assertThat(ours).containsAll(SERVED_LAST);
    }

    @Test
    void aPathOutsideTheApiIsA404AndAnUnknownAppA404() throws Exception {
        assertThat(server.call("GET", "/no/such/thing", null).status()).isEqualTo(404);
        assertThat(server.call("GET", "/groups/{groupId}/apps/000000000000000000000009/functions", null).status()).isEqualTo(404);
        assertThat(server.call("GET", "/groups/000000000000000000000009/apps", null).status()).isEqualTo(404);
    }

    @Test
    void theVersionRouteAndTheBaseAnswerWithoutAToken() throws Exception {
        var version = server.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.home.baseUrl() + AdminApi.VERSION_PATH)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(version.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(AdminServer.JSON.readTree(version.body()).get("backend").has("version")).isTrue();
        assertThat(server.call("GET", "", null, null, "").status()).isEqualTo(200);
    }
}
