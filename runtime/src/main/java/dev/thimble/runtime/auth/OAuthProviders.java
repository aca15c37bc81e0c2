package dev.thimble.runtime.auth;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.errors.InvalidInput;
import dev.thimble.runtime.errors.Unauthenticated;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.Json;
import org.bson.Document;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The OAuth2 identity providers ({@code oauth2-google}, {@code oauth2-facebook}, {@code oauth2-apple}):
 * their endpoints, the code exchange and the user info. The endpoints default to the real IdPs and can be
 * overridden in the provider's {@code config}: {@code authUrl} (authorize page), {@code tokenUrl} (code
 * exchange) and {@code userInfoUrl} (profile; Apple has none: its identity is the {@code id_token}), and
 * {@code scope}. The client secret is the secret named by {@code secret_config.clientSecret}. Every failure
 * is a 401 {@code AuthError} naming the step, never the secret.
 */
final class OAuthProviders {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** An IdP's endpoints and default scope. */
    record Endpoints(String authUrl, String tokenUrl, String userInfoUrl, String scope) {
    }

    /** Who the IdP says the user is: the subject and the profile fields (normalised names). */
    record Profile(String subject, Map<String, Object> fields) {
    }

    private final Function<String, Optional<String>> secrets;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    OAuthProviders(Function<String, Optional<String>> secrets) {
        this.secrets = secrets;
    }

    static boolean isOAuth(String type) {
        return type.equals("oauth2-google") || type.equals("oauth2-facebook") || type.equals("oauth2-apple");
    }

    static Endpoints endpoints(AuthProviderDef provider) {
        Endpoints defaults = switch (provider.type()) {
            case "oauth2-google" -> new Endpoints("https://accounts.google.com/o/oauth2/v2/auth",
                    "https://oauth2.googleapis.com/token", "https://openidconnect.googleapis.com/v1/userinfo", "openid email profile");
            case "oauth2-facebook" -> new Endpoints("https://www.facebook.com/v19.0/dialog/oauth",
                    "https://graph.facebook.com/v19.0/oauth/access_token",
                    "https://graph.facebook.com/me?fields=id,name,email,first_name,last_name,picture", "email public_profile");
            case "oauth2-apple" -> new Endpoints("https://appleid.apple.com/auth/authorize", "https://appleid.apple.com/auth/token",
                    "", "name email");
            default -> throw new InvalidInput("AuthProviderNotFound", "\"" + provider.name() + "\" is not an OAuth2 provider");
        };
        Json config = provider.config().obj("config");
        return new Endpoints(config.text("authUrl", defaults.authUrl()), config.text("tokenUrl", defaults.tokenUrl()),
                config.text("userInfoUrl", defaults.userInfoUrl()), config.text("scope", defaults.scope()));
    }

    static String clientId(AuthProviderDef provider) {
        String clientId = provider.config().obj("config").text("clientId", "");
        if (clientId.isEmpty()) {
            throw refused("no client id is configured: set config.clientId in auth_providers/" + provider.name() + ".json");
        }
        return clientId;
    }

    /** The IdP's authorize URL for a redirect login. */
    static String authorizeUrl(AuthProviderDef provider, String callbackUrl, String state) {
        Endpoints endpoints = endpoints(provider);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", clientId(provider));
        query.put("redirect_uri", callbackUrl);
        query.put("response_type", "code");
        if (!endpoints.scope().isEmpty()) {
            query.put("scope", endpoints.scope());
        }
        query.put("state", state);
        if (provider.type().equals("oauth2-apple") && !endpoints.scope().isEmpty()) {
            query.put("response_mode", "form_post"); // Apple sends name/email scopes back only as a form POST
        }
        if (provider.type().equals("oauth2-google")) {
            query.put("access_type", "online");
        }
        String url = endpoints.authUrl();
        return url + (url.contains("?") ? "&" : "?") + form(query);
    }

    /** Exchanges an authorization code and reads the user's profile. */
    Profile exchangeCode(AuthProviderDef provider, String code, String redirectUri) {
        Endpoints endpoints = endpoints(provider);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        if (redirectUri != null) {
            form.put("redirect_uri", redirectUri);
        }
        form.put("client_id", clientId(provider));
        form.put("client_secret", clientSecret(provider));
        JsonNode token = call(HttpRequest.newBuilder(uri(endpoints.tokenUrl(), "tokenUrl"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))), "exchanging the authorization code", provider);
        if (provider.type().equals("oauth2-apple")) {
            String idToken = token.path("id_token").asText("");
            if (idToken.isEmpty()) {
                throw refused("the identity provider's token response has no id_token");
            }
            // Received straight from the token endpoint (over TLS in production): OIDC allows trusting it unverified.
            return appleProfile(idToken);
        }
        String accessToken = token.path("access_token").asText("");
        if (accessToken.isEmpty()) {
            throw refused("the identity provider's token response has no access_token");
        }
        return userInfo(provider, accessToken);
    }

    /** The profile of an IdP access token (the user info endpoint). */
    Profile userInfo(AuthProviderDef provider, String accessToken) {
        Endpoints endpoints = endpoints(provider);
        if (endpoints.userInfoUrl().isEmpty()) {
            throw refused("no user info endpoint is configured: set config.userInfoUrl in auth_providers/" + provider.name() + ".json");
        }
        JsonNode info = call(HttpRequest.newBuilder(uri(endpoints.userInfoUrl(), "userInfoUrl"))
                .header("Authorization", "Bearer " + accessToken).header("Accept", "application/json").GET(),
                "reading the user's profile", provider);
        return profile(info);
    }

    private String clientSecret(AuthProviderDef provider) {
        String name = provider.config().obj("secret_config").text("clientSecret", "");
        if (name.isEmpty()) {
            throw refused("no client secret is configured: set secret_config.clientSecret (a secret's name) in auth_providers/"
                    + provider.name() + ".json");
        }
        return secrets.apply(name).orElseThrow(() -> refused("the client secret \"" + name
                + "\" named in secret_config.clientSecret is not set; add it with `thimble secrets`"));
    }

    private JsonNode call(HttpRequest.Builder request, String step, AuthProviderDef provider) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw refused(step + " failed: the identity provider of " + provider.name() + " could not be reached (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refused(step + " was interrupted");
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (response.statusCode() / 100 != 2 || body == null || !body.isObject()) {
            String detail = body != null && body.isObject()
                    ? body.path("error_description").asText(body.path("error").isTextual() ? body.path("error").asText()
                            : body.path("error").path("message").asText(""))
                    : "";
            throw refused(step + " failed: the identity provider answered " + response.statusCode()
                    + (detail.isEmpty() ? "" : " (" + detail + ")"));
        }
        return body;
    }

    /** Normalises Google (OIDC) and Facebook profile fields: subject, name, email, first_name, last_name, picture. */
    static Profile profile(JsonNode info) {
        String subject = info.path("sub").asText(info.path("id").asText(""));
        if (subject.isEmpty()) {
            throw refused("the identity provider's profile has no user id (sub or id)");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        info.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                fields.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
                        : e.getValue().isBoolean() ? (Object) e.getValue().asBoolean() : e.getValue().numberValue());
            }
        });
        copy(fields, "given_name", "first_name");
        copy(fields, "family_name", "last_name");
        JsonNode picture = info.path("picture");
        if (picture.isObject()) {
            String url = picture.path("data").path("url").asText("");
            if (!url.isEmpty()) {
                fields.put("picture", url); // Facebook's {data: {url}}
            }
        }
        return new Profile(subject, fields);
    }

    private static void copy(Map<String, Object> fields, String from, String to) {
        if (fields.containsKey(from) && !fields.containsKey(to)) {
            fields.put(to, fields.get(from));
        }
    }

    /** Apple's identity: the id_token's claims (sub, email). */
    static Profile appleProfile(String idToken) {
        String[] parts = idToken.split("\\.");
        if (parts.length < 2) {
            throw refused("the id_token is not a JWT");
        }
        JsonNode claims;
        try {
            claims = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            throw refused("the id_token's claims are not readable JSON");
        }
        if (!(claims instanceof ObjectNode)) {
            throw refused("the id_token's claims are not a JSON object");
        }
        return profile(claims);
    }

    /**
     * The user data from a profile: the provider's {@code metadata_fields} ({@code name}, optional
     * {@code field_name}, {@code required}); a required field the IdP did not send refuses the login.
     */
    static Document metadata(AuthProviderDef provider, Profile profile) {
        Document data = new Document();
        JsonNode fields = provider.config().get("metadata_fields");
        if (fields == null || !fields.isArray()) {
            return data;
        }
        for (JsonNode field : fields) {
            String name = field.path("name").asText("");
            if (name.isEmpty()) {
                continue;
            }
            Object value = profile.fields().get(name);
            if (value == null) {
                if (field.path("required").asBoolean(false)) {
                    throw refused("required metadata field " + name + " was not sent by the identity provider");
                }
                continue;
            }
            String fieldName = field.path("field_name").asText("");
            data.put(fieldName.isEmpty() ? name : fieldName, value);
        }
        return data;
    }

    static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI uri(String url, String field) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw refused("config." + field + " is not a URL: " + url);
        }
    }

    static Failure refused(String message) {
        return new Unauthenticated("AuthError", message);
    }
}
