package dev.thimble.workbench.testing;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** What a client SDK sends, over real HTTP: an anonymous login and {@code functions/call}. */
public final class ClientCalls {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String clientApiUrl;
    private String accessToken;

    public ClientCalls(String clientApiUrl) {
        this.clientApiUrl = clientApiUrl;
    }

    /** Logs in anonymously; returns the user id. */
    public String loginAnonymously() throws Exception {
        HttpResponse<String> response = post("/auth/providers/anon-user/login", "{}");
        var body = MAPPER.readTree(response.body());
        accessToken = body.get("access_token").asText();
        return body.get("user_id").asText();
    }

    /** {@code functions/call} with a JSON body; returns the response. */
    public HttpResponse<String> call(String body) throws Exception {
        return post("/functions/call", body);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(clientApiUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
