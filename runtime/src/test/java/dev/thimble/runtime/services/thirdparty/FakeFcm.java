package dev.thimble.runtime.services.thirdparty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * FCM's legacy HTTP API on loopback: {@code POST /fcm/send} with {@code Authorization: key=…}; 401 with an
 * HTML page for a wrong key (as FCM answers), 400 with text for a malformed message, and the multicast or
 * topic JSON otherwise. Tokens listed in {@link #dead} answer {@code NotRegistered}; tokens in {@link #renamed}
 * succeed with a canonical {@code registration_id}.
 */
final class FakeFcm {
    static final String API_KEY = "AAAAfcm-server-key-0123456789";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final Map<String, Boolean> dead = new ConcurrentHashMap<>();
    final Map<String, String> renamed = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);

    FakeService.Answer handle(FakeService.Received request) {
        if (!request.method().equals("POST") || !request.path().equals("/fcm/send")) {
            return FakeService.Answer.text(404, "Not Found");
        }
        if (!("key=" + API_KEY).equals(request.header("Authorization"))) {
            return new FakeService.Answer(401, Map.of("Content-Type", "text/html; charset=UTF-8"),
                    "<HTML><HEAD><TITLE>The request was missing an Authentication Key.</TITLE></HEAD></HTML>".getBytes());
        }
        JsonNode message;
        try {
            message = MAPPER.readTree(request.body());
        } catch (Exception e) {
            return FakeService.Answer.text(400, "JSON_PARSING_ERROR: Unexpected character");
        }
        if (!"application/json".equals(request.header("Content-Type"))) {
            return FakeService.Answer.text(400, "Content-Type must be application/json");
        }
        if (message.has("to") && message.get("to").asText().startsWith("/topics/")) {
            return FakeService.Answer.json(200, "{\"message_id\": " + ids.incrementAndGet() + "}");
        }
        ArrayNode tokens = MAPPER.createArrayNode();
        if (message.has("to")) {
            tokens.add(message.get("to"));
        } else {
            tokens.addAll((ArrayNode) message.get("registration_ids"));
        }
        ObjectNode answer = MAPPER.createObjectNode().put("multicast_id", 6782339717028231855L);
        ArrayNode results = answer.putArray("results");
        int success = 0;
        int failure = 0;
        int canonical = 0;
        for (JsonNode token : tokens) {
            ObjectNode result = results.addObject();
            if (dead.containsKey(token.asText())) {
                result.put("error", "NotRegistered");
                failure++;
            } else {
                result.put("message_id", "0:1500415" + ids.incrementAndGet());
                success++;
                if (renamed.containsKey(token.asText())) {
                    result.put("registration_id", renamed.get(token.asText()));
                    canonical++;
                }
            }
        }
        answer.put("success", success).put("failure", failure).put("canonical_ids", canonical);
        return FakeService.Answer.json(200, answer.toString());
    }
}
