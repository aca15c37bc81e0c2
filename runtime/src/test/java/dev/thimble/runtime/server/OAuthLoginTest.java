package dev.thimble.runtime.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.auth.AuthFunctions;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.auth.AuthStores;
import dev.thimble.runtime.auth.LoginThrottle;
import dev.thimble.runtime.auth.Tokens;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redirect OAuth (CLIENT-PROTOCOL §7) and the code/token logins of the oauth2 providers, end to end over
 * real HTTP: a Thimble client API server, and a fake IdP on loopback with authorize, token and userinfo.
 */
class OAuthLoginTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String APP = "/api/client/v2.0/app/todo-abcde";
    private static final String REDIRECT = "http://app.example/after-login";
    private static MongoServer mongo;
    private static MongoClient client;

    private final Map<String, String> secrets = new HashMap<>(Map.of("googleSecret", "s3cret", "fbSecret", "fb-s3cret"));
    /** code → the redirect_uri it was issued for (the token endpoint checks it). */
    private final Map<String, String> codes = new ConcurrentHashMap<>();
    private final Map<String, String> accessTokens = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicInteger tokenCalls = new AtomicInteger();
    private HttpServer idp;
    private ClientApiServer server;

    @BeforeAll
    static void startMongo() {
        mongo = new MongoServer(new MemoryBackend());
        var address = mongo.bind();
        client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
    }

    @AfterAll
    static void stopMongo() {
        client.close();
        mongo.shutdownNow();
    }

    @BeforeEach
    void start() throws IOException {
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/authorize", this::authorize);
        idp.createContext("/token", this::token);
        idp.createContext("/userinfo", this::userInfo);
        idp.start();
        String idpUrl = "http://127.0.0.1:" + idp.getAddress().getPort();
        String google = "{\"name\":\"oauth2-google\",\"type\":\"oauth2-google\",\"config\":{\"clientId\":\"client-123\",\"openId\":true,"
                + "\"authUrl\":\"" + idpUrl + "/authorize\",\"tokenUrl\":\"" + idpUrl + "/token\",\"userInfoUrl\":\"" + idpUrl + "/userinfo\"},"
                + "\"secret_config\":{\"clientSecret\":\"googleSecret\"},"
                + "\"metadata_fields\":[{\"required\":true,\"name\":\"email\"},{\"required\":false,\"name\":\"name\"},"
                + "{\"required\":false,\"name\":\"first_name\"},{\"required\":false,\"name\":\"picture\"}],"
                + "\"redirect_uris\":[\"" + REDIRECT + "\"]}";
        String facebook = "{\"name\":\"oauth2-facebook\",\"type\":\"oauth2-facebook\",\"config\":{\"clientId\":\"fb-1\","
                + "\"userInfoUrl\":\"" + idpUrl + "/userinfo?fields=id,name,picture\"},"
                + "\"secret_config\":{\"clientSecret\":\"fbSecret\"},"
                + "\"metadata_fields\":[{\"name\":\"name\"},{\"name\":\"picture\"}],\"redirect_uris\":[]}";
        String apple = "{\"name\":\"apple\",\"type\":\"oauth2-apple\",\"config\":{\"clientId\":\"client-123\","
                + "\"authUrl\":\"" + idpUrl + "/authorize\",\"tokenUrl\":\"" + idpUrl + "/token\"},"
                + "\"secret_config\":{\"clientSecret\":\"googleSecret\"},"
                + "\"metadata_fields\":[{\"name\":\"email\"}],\"redirect_uris\":[\"" + REDIRECT + "\"]}";
        AppModel model = new AppModel(Json.parse("{\"app_id\":\"todo-abcde\",\"name\":\"todo\"}"),
                List.of(new AuthProviderDef(Json.parse(google)), new AuthProviderDef(Json.parse(facebook)),
                        new AuthProviderDef(Json.parse(apple)),
                        new AuthProviderDef(Json.parse("{\"name\":\"anon-user\",\"type\":\"anon-user\"}"))),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), new TreeMap<>());
        Clock clock = Clock.systemUTC();
        AuthService auth = new AuthService(() -> model, AuthStores.in(client.getDatabase("oauth_" + System.nanoTime())),
                new Tokens("0123456789abcdef0123456789abcdef".getBytes(), clock, "todo-abcde", Duration.ofMinutes(30), Duration.ofDays(60)),
                clock, LoginThrottle.standard(clock), userId -> new Document(), AuthFunctions.NONE,
                name -> Optional.ofNullable(secrets.get(name)));
        server = ClientApiServer.start(() -> model, () -> auth, () -> null, "127.0.0.1", 0, null);
    }

    @AfterEach
    void stop() {
        server.close();
        idp.stop(0);
    }

    // ---- the fake IdP --------------------------------------------------------------------------

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
        String code = "code-" + counter.incrementAndGet();
        codes.put(code, query.get("redirect_uri"));
        exchange.getResponseHeaders().add("Location", query.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenCalls.incrementAndGet();
        Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!"client-123".equals(form.get("client_id")) || !"s3cret".equals(form.get("client_secret"))) {
            send(exchange, 401, "{\"error\":\"invalid_client\",\"error_description\":\"The OAuth client was not found.\"}");
            return;
        }
        String code = form.get("code");
        boolean serverCode = "server-auth-code".equals(code) && !form.containsKey("redirect_uri");
        String issuedFor = code == null ? null : codes.remove(code);
        if (!serverCode && (issuedFor == null || !issuedFor.equals(form.get("redirect_uri")))) {
            send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Bad Request\"}");
            return;
        }
        String access = "idp-access-" + counter.incrementAndGet();
        accessTokens.put(access, "google-sub-42");
        String idToken = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
                + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                        "{\"sub\":\"apple-001\",\"email\":\"x@privaterelay.appleid.com\"}".getBytes(StandardCharsets.UTF_8)) + ".sig";
        send(exchange, 200, "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":3599,"
                + "\"id_token\":\"" + idToken + "\"}");
    }

    private void userInfo(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = header == null ? "" : header.substring("Bearer ".length());
        if (token.equals("fb-user-token")) {
            send(exchange, 200, "{\"id\":\"fb-777\",\"name\":\"Grace Hopper\",\"picture\":{\"data\":{\"url\":\"http://pic/grace\"}}}");
            return;
        }
        String subject = accessTokens.get(token);
        if (subject == null) {
            send(exchange, 401, "{\"error\":\"invalid_token\"}");
            return;
        }
        send(exchange, 200, "{\"sub\":\"" + subject + "\",\"name\":\"Ada Lovelace\",\"given_name\":\"Ada\",\"family_name\":\"Lovelace\","
                + "\"email\":\"ada@example.com\",\"email_verified\":true,\"picture\":\"http://pic/ada\"}");
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static Map<String, String> parse(String query) {
        Map<String, String> values = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return values;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String loginUrl(String provider, String redirect, String state) {
        String device = Base64.getEncoder().encodeToString("{\"platform\":\"chrome\",\"sdkVersion\":\"4.9.0\"}".getBytes(StandardCharsets.UTF_8));
        return server.baseUrl() + APP + "/auth/providers/" + provider + "/login?redirect=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
                + "&state=" + state + "&device=" + URLEncoder.encode(device, StandardCharsets.UTF_8);
    }

    private static String location(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        return response.headers().firstValue("Location").orElseThrow();
    }

    /** IdP authorize URL → its 302 to our callback → our 302 back to the app: the fragment's fields. */
    private static Map<String, String> throughIdp(String idpUrl) throws Exception {
        String callback = location(get(idpUrl, null));
        String back = location(get(callback, null));
        assertThat(back).startsWith(REDIRECT + "#");
        return parse(back.substring(back.indexOf('#') + 1));
    }

    private JsonNode profile(String access) throws Exception {
        HttpResponse<String> response = get(server.baseUrl() + "/api/client/v2.0/auth/profile", access);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }

    // ---- tests ---------------------------------------------------------------------------------

    @Test
    void theRedirectFlowLogsInWithTheIdpsSubjectAndProfileFields() throws Exception {
        String idpUrl = location(get(loginUrl("oauth2-google", REDIRECT, "clientState123"), null));

        assertThat(idpUrl).startsWith("http://127.0.0.1:" + idp.getAddress().getPort() + "/authorize?");
        Map<String, String> query = parse(URI.create(idpUrl).getRawQuery());
        assertThat(query).containsEntry("client_id", "client-123").containsEntry("response_type", "code")
                .containsEntry("scope", "openid email profile")
                .containsEntry("redirect_uri", server.baseUrl() + "/api/client/v2.0/auth/callback");
        assertThat(query.get("state")).isNotBlank().isNotEqualTo("clientState123");

        Map<String, String> fragment = throughIdp(idpUrl);
        assertThat(fragment).containsEntry("_stitch_client_app_id", "todo-abcde").containsEntry("_baas_client_app_id", "todo-abcde")
                .containsEntry("_stitch_state", "clientState123").containsEntry("_baas_state", "clientState123")
                .doesNotContainKey("_stitch_error").doesNotContainKey("_stitch_link");
        assertThat(fragment.get("_baas_ua")).isEqualTo(fragment.get("_stitch_ua"));
        String[] ua = fragment.get("_stitch_ua").split("\\$");
        assertThat(ua).hasSize(4);

        JsonNode profile = profile(ua[0]);
        assertThat(profile.path("user_id").asText()).isEqualTo(ua[2]);
        assertThat(profile.path("identities")).hasSize(1);
        assertThat(profile.path("identities").get(0).path("provider_type").asText()).isEqualTo("oauth2-google");
        assertThat(profile.path("identities").get(0).path("id").asText()).isEqualTo("google-sub-42");
        assertThat(profile.path("data").path("email").asText()).isEqualTo("ada@example.com");
        assertThat(profile.path("data").path("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(profile.path("data").path("first_name").asText()).isEqualTo("Ada");
        assertThat(profile.path("data").path("picture").asText()).isEqualTo("http://pic/ada");
        // the refresh token works too
        HttpResponse<String> refreshed = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/client/v2.0/auth/session"))
                .header("Authorization", "Bearer " + ua[1]).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refreshed.statusCode()).isEqualTo(201);

        // a second sign-in finds the same user
        String[] again = throughIdp(location(get(loginUrl("oauth2-google", REDIRECT, "s2"), null))).get("_stitch_ua").split("\\$");
        assertThat(again[2]).isEqualTo(ua[2]);
    }

    @Test
    void aRedirectOutsideRedirectUrisIsRefusedBeforeTheIdp() throws Exception {
        HttpResponse<String> response = get(loginUrl("oauth2-google", "http://evil.example/steal", "s"), null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(MAPPER.readTree(response.body()).path("error").asText()).contains("redirect_uris").contains("evil.example");
        assertThat(counter.get()).isZero();
    }

    @Test
    void aWrongClientSecretComesBackAsAFragmentError() throws Exception {
        secrets.put("googleSecret", "wrong");

        Map<String, String> fragment = throughIdp(location(get(loginUrl("oauth2-google", REDIRECT, "st"), null)));

        assertThat(fragment).doesNotContainKey("_stitch_ua").doesNotContainKey("_baas_ua").containsEntry("_stitch_state", "st");
        assertThat(fragment.get("_stitch_error")).contains("exchanging the authorization code").contains("401")
                .contains("The OAuth client was not found").doesNotContain("wrong").doesNotContain("Exception");
        assertThat(fragment.get("_baas_error")).isEqualTo(fragment.get("_stitch_error"));
    }

    @Test
    void aTamperedOrReplayedStateIsRefused() throws Exception {
        String callback = location(get(location(get(loginUrl("oauth2-google", REDIRECT, "st"), null)), null));
        Map<String, String> query = parse(URI.create(callback).getRawQuery());
        String base = callback.substring(0, callback.indexOf('?'));

        HttpResponse<String> tampered = get(base + "?code=" + query.get("code") + "&state=" + query.get("state") + "x", null);
        assertThat(tampered.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(tampered.body()).path("error").asText()).contains("unknown or expired OAuth state");
        assertThat(tokenCalls.get()).isZero();

        assertThat(location(get(callback, null))).contains("_stitch_ua=");
        HttpResponse<String> replayed = get(callback, null);
        assertThat(replayed.statusCode()).isEqualTo(400);
    }

    @Test
    void anAnonymousUserLinksAGoogleIdentityThroughTheRedirectHeader() throws Exception {
        JsonNode anon = MAPPER.readTree(post(APP + "/auth/providers/anon-user/login", "{}", null).body());
        String access = anon.path("access_token").asText();

        HttpResponse<String> start = get(loginUrl("oauth2-google", REDIRECT, "linkState") + "&link=true&providerRedirectHeader=true", access);
        assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
        String idpUrl = start.headers().firstValue("X-Stitch-Location").orElseThrow();
        assertThat(start.headers().firstValue("X-Baas-Location")).contains(idpUrl);

        Map<String, String> fragment = throughIdp(idpUrl);
        assertThat(fragment).containsEntry("_stitch_link", "ok").containsEntry("_baas_link", "ok").containsEntry("_stitch_state", "linkState");
        String[] ua = fragment.get("_stitch_ua").split("\\$", -1);
        assertThat(ua[2]).isEqualTo(anon.path("user_id").asText());

        JsonNode profile = profile(ua[0]);
        assertThat(profile.path("identities").findValuesAsText("provider_type")).containsExactlyInAnyOrder("anon-user", "oauth2-google");

        HttpResponse<String> noToken = get(loginUrl("oauth2-google", REDIRECT, "x") + "&link=true&providerRedirectHeader=true", null);
        assertThat(noToken.statusCode()).isEqualTo(401);
    }

    @Test
    void aGoogleServerAuthCodeLogsInWithoutARedirect() throws Exception {
        HttpResponse<String> response = post(APP + "/auth/providers/oauth2-google/login",
                "{\"authCode\":\"server-auth-code\",\"options\":{\"device\":{\"platform\":\"android\"}}}", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode login = MAPPER.readTree(response.body());
        JsonNode profile = profile(login.path("access_token").asText());
        assertThat(profile.path("identities").get(0).path("id").asText()).isEqualTo("google-sub-42");
        assertThat(profile.path("data").path("email").asText()).isEqualTo("ada@example.com");

        HttpResponse<String> bad = post(APP + "/auth/providers/oauth2-google/login", "{\"authCode\":\"made-up\"}", null);
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(MAPPER.readTree(bad.body()).path("error_code").asText()).isEqualTo("AuthError");
    }

    @Test
    void aFacebookAccessTokenLogsInWithTheGraphProfile() throws Exception {
        HttpResponse<String> response = post(APP + "/auth/providers/oauth2-facebook/login", "{\"accessToken\":\"fb-user-token\"}", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode profile = profile(MAPPER.readTree(response.body()).path("access_token").asText());
        assertThat(profile.path("identities").get(0).path("provider_type").asText()).isEqualTo("oauth2-facebook");
        assertThat(profile.path("identities").get(0).path("id").asText()).isEqualTo("fb-777");
        assertThat(profile.path("data").path("name").asText()).isEqualTo("Grace Hopper");
        assertThat(profile.path("data").path("picture").asText()).isEqualTo("http://pic/grace");

        assertThat(post(APP + "/auth/providers/oauth2-facebook/login", "{\"accessToken\":\"forged\"}", null).statusCode()).isEqualTo(401);
    }

    @Test
    void appleFormPostCallbackLogsInWithTheIdTokensSubject() throws Exception {
        String idpUrl = location(get(loginUrl("apple", REDIRECT, "appleState"), null));
        assertThat(parse(URI.create(idpUrl).getRawQuery())).containsEntry("response_mode", "form_post").containsEntry("scope", "name email");
        String callback = location(get(idpUrl, null));
        String base = callback.substring(0, callback.indexOf('?'));

        // Apple posts the code and state as a form
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(base))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(callback.substring(callback.indexOf('?') + 1))).build(), HttpResponse.BodyHandlers.ofString());
        String back = location(posted);
        Map<String, String> fragment = parse(back.substring(back.indexOf('#') + 1));
        assertThat(fragment).containsEntry("_baas_state", "appleState").doesNotContainKey("_baas_error");

        JsonNode profile = profile(fragment.get("_baas_ua").split("\\$")[0]);
        assertThat(profile.path("identities").get(0).path("provider_type").asText()).isEqualTo("oauth2-apple");
        assertThat(profile.path("identities").get(0).path("id").asText()).isEqualTo("apple-001");
        assertThat(profile.path("data").path("email").asText()).isEqualTo("x@privaterelay.appleid.com");
    }

    @Test
    void anIdpRefusalComesBackAsAFragmentError() throws Exception {
        String idpUrl = location(get(loginUrl("oauth2-google", REDIRECT, "st"), null));
        String state = parse(URI.create(idpUrl).getRawQuery()).get("state");

        String back = location(get(server.baseUrl() + "/api/client/v2.0/auth/callback?error=access_denied&state="
                + URLEncoder.encode(state, StandardCharsets.UTF_8), null));

        Map<String, String> fragment = parse(back.substring(back.indexOf('#') + 1));
        assertThat(fragment.get("_stitch_error")).contains("access_denied");
        assertThat(fragment).doesNotContainKey("_stitch_ua").containsEntry("_stitch_state", "st");
        assertThat(tokenCalls.get()).isZero();
    }

    @Test
    void aGoogleAccessTokenAloneIsRefused() throws Exception {
        HttpResponse<String> response = post(APP + "/auth/providers/oauth2-google/login", "{\"accessToken\":\"idp-access-1\"}", null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(response.body()).path("error").asText()).contains("authCode");
    }
}
