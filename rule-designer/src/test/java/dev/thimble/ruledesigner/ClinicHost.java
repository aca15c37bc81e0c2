package dev.thimble.ruledesigner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

/**
 * The clinic example served by a real {@link AppHost} on the embedded database in a temp directory,
 * with email/password logins confirmed automatically, seeded patients, and staff users made through
 * the real auth service; calls go over real HTTP in the client SDKs' wire format.
 */
final class ClinicHost implements AutoCloseable {
    static final Path CLINIC = Path.of("../examples/clinic");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final Path appDir;
    final SecretStore secrets;
    final AppHost host;

    private ClinicHost(Path appDir, SecretStore secrets, AppHost host) {
        this.appDir = appDir;
        this.secrets = secrets;
        this.host = host;
    }

    /** @param withoutPatientsRule true: the copy has no rule for clinic.patients (to build it in the designer) */
    static ClinicHost start(Path temp, boolean withoutPatientsRule) throws IOException {
        Path dir = temp.resolve("clinic");
        copy(CLINIC, dir);
        Path provider = dir.resolve("auth_providers/local-userpass.json");
        ObjectNode config = (ObjectNode) MAPPER.readTree(provider.toFile());
        ((ObjectNode) config.get("config")).put("autoConfirm", true);
        Files.writeString(provider, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(config));
        if (withoutPatientsRule) {
            Files.delete(dir.resolve("services/mongodb-atlas/rules/clinic.patients.json"));
        }
        SecretStore secrets = new SecretStore(temp.resolve("secrets.json"));
        AppModel app = AppBundles.read(dir).app();
        AppHost host = AppHost.start(app, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(temp.resolve("db")), secrets));
        return new ClinicHost(dir, secrets, host);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static final ObjectId CARDIO_1 = new ObjectId("65b0000000000000000000a1");
    static final ObjectId CARDIO_2 = new ObjectId("65b0000000000000000000a2");
    static final ObjectId EMERGENCY = new ObjectId("65b0000000000000000000a3");

    /** Three patients: two in cardiology (one of them dr-grey's), one in emergency. */
    void seedPatients(String doctorId) {
        var patients = host.database().database("clinic").getCollection("patients");
        patients.insertMany(List.of(
                patient(CARDIO_1, "Ana", "cardiology", doctorId, "arrhythmia"),
                patient(CARDIO_2, "Ben", "cardiology", "someone-else", "angina"),
                patient(EMERGENCY, "Cy", "emergency", "someone-else", "fracture")));
    }

    static Document patient(ObjectId id, String name, String ward, String doctor, String diagnosis) {
        return new Document("_id", id).append("name", name).append("ward", ward).append("doctor_id", doctor)
                .append("allergies", List.of("penicillin")).append("diagnosis", diagnosis)
                .append("test_results", List.of(new Document("test", "ecg").append("result", "normal")
                        .append("recorded_at", new Date(1_700_000_000_000L)).append("recorded_by", "nurse-x")))
                .append("waiting_since", new Date(1_700_000_000_000L));
    }

    /** A confirmed email/password user with a staff document ({@code role}, {@code ward}); returns their user id. */
    String staff(String email, String role, String ward) {
        host.auth().register("local-userpass", new Document("email", email).append("password", "secret123"));
        String id = host.auth().login("local-userpass", new Document("username", email).append("password", "secret123"),
                "127.0.0.1", null).userId();
        Document staff = new Document("user_id", id).append("name", email).append("role", role);
        if (ward != null) {
            staff.append("ward", ward);
        }
        host.database().database("clinic").getCollection("staff").insertOne(staff);
        return id;
    }

    /** Logs in over HTTP as the SDKs do and returns the access token (custom user data is read now). */
    String login(String email) throws IOException, InterruptedException {
        String body = "{\"username\":\"" + email + "\",\"password\":\"secret123\"}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(host.clientApiUrl() + "/auth/providers/local-userpass/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("login " + r.statusCode() + " " + r.body());
        }
        return MAPPER.readTree(r.body()).get("access_token").asText();
    }

    /** {@code find} on clinic.patients over functions/call, as the SDKs send it; the documents as Extended JSON. */
    List<Document> findPatients(String accessToken) throws IOException, InterruptedException {
        String body = "{\"name\":\"find\",\"service\":\"mongodb-atlas\",\"arguments\":[{\"database\":\"clinic\","
                + "\"collection\":\"patients\",\"query\":{}}]}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(host.clientApiUrl() + "/functions/call"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("find " + r.statusCode() + " " + r.body());
        }
        @SuppressWarnings("unchecked")
        List<Document> docs = (List<Document>) Document.parse("{\"v\":" + r.body() + "}").get("v");
        return docs;
    }

    /** Reloads the host from the bundle on disk (what a save in the workbench does). */
    void reloadFromDisk() {
        host.reload(AppBundles.read(appDir).app());
    }

    Simulator simulator() {
        return Simulators.forHost(host, secrets::get);
    }

    @Override
    public void close() {
        host.close();
    }
}
