package dev.thimble.runtime.services.thirdparty;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.services.ConfiguredService;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Push for the service layer (the admin API and the workbench composing a message): the devices each
 * user registered with a {@code gcm} service, and sending one message to a topic or to users, which
 * means to all of their registered devices.
 *
 * <p>One document per device in the collection given: {@code {service, userId, token, registeredAt}},
 * unique by service and token, so a device that changes hands belongs to the user who registered it
 * last. Tokens FCM reports as no longer registered are removed; a token FCM replaced by a canonical one
 * is updated, so the next send reaches the device once.
 */
public final class PushNotifications {
    /** FCM errors that mean the token will never work again. */
    private static final Set<String> DEAD_TOKEN = Set.of("NotRegistered", "InvalidRegistration", "MismatchSenderId");

    private final MongoCollection<Document> registrations;
    private final GcmService gcm;
    private final Clock clock;

    /**
     * @param registrations where device registrations live (e.g. {@code __thimble_<app>.push_registrations}: an internal database, so it feeds no trigger)
     * @param http          the client FCM requests go through
     */
    public PushNotifications(MongoCollection<Document> registrations, HttpClient http, Clock clock) {
        this.registrations = registrations;
        this.gcm = new GcmService(new Outbound(http), clock);
        this.clock = clock;
        registrations.createIndex(Indexes.ascending("service", "token"), new IndexOptions().unique(true));
        registrations.createIndex(Indexes.ascending("service", "userId"));
    }

    /** Records that {@code userId}'s device has this FCM registration token for the service {@code serviceName}. */
    public void register(String serviceName, String userId, String token) {
        require(serviceName, "serviceName");
        require(userId, "userId");
        require(token, "token");
        registrations.updateOne(Filters.and(Filters.eq("service", serviceName), Filters.eq("token", token)),
                Updates.combine(Updates.set("userId", userId), Updates.set("registeredAt", Date.from(clock.instant()))),
                new UpdateOptions().upsert(true));
    }

    /** Forgets a device of the user; true when it was registered to them. */
    public boolean deregister(String serviceName, String userId, String token) {
        return registrations.deleteOne(Filters.and(Filters.eq("service", serviceName), Filters.eq("userId", userId),
                Filters.eq("token", token))).getDeletedCount() > 0;
    }

    /** The registration tokens of a user's devices for the service, oldest registration first. */
    public List<String> tokens(String serviceName, String userId) {
        List<String> tokens = new ArrayList<>();
        registrations.find(Filters.and(Filters.eq("service", serviceName), Filters.eq("userId", userId)))
                .sort(new Document("registeredAt", 1)).forEach(d -> tokens.add(d.getString("token")));
        return tokens;
    }

    /**
     * Sends {@code message} (a {@code gcm.send} argument document without recipients) to the topic's
     * subscribers and returns FCM's answer as {@code gcm.send} does.
     */
    public BsonDocument sendToTopic(ConfiguredService service, String topic, BsonDocument message) {
        if (topic == null || !topic.matches("[a-zA-Z0-9-_.~%]+")) {
            throw new ServiceCallException("push to topic \"" + topic + "\": a topic name is letters, digits and -_.~% only");
        }
        return gcm.send(service, recipients(service, message, "to", new BsonString("/topics/" + topic)));
    }

    /**
     * Sends {@code message} to every registered device of these users, in batches FCM accepts, and returns
     * {@code {success, failure, results: [{userId, token, messageId | error}]}}; users with no device add nothing.
     */
    public BsonDocument sendToUsers(ConfiguredService service, Collection<String> userIds, BsonDocument message) {
        Map<String, String> owners = new LinkedHashMap<>();
        Bson filter = Filters.and(Filters.eq("service", service.name()), Filters.in("userId", userIds));
        registrations.find(filter).sort(new Document("registeredAt", 1))
                .forEach(d -> owners.put(d.getString("token"), d.getString("userId")));
        List<String> tokens = new ArrayList<>(owners.keySet());
        int success = 0;
        int failure = 0;
        BsonArray results = new BsonArray();
        for (int from = 0; from < tokens.size(); from += GcmService.MAX_TOKENS) {
            List<String> batch = tokens.subList(from, Math.min(tokens.size(), from + GcmService.MAX_TOKENS));
            BsonArray ids = new BsonArray();
            batch.forEach(t -> ids.add(new BsonString(t)));
            BsonDocument answer = gcm.send(service, recipients(service, message, "registrationTokens", ids));
            success += answer.getInt32("success", new BsonInt32(0)).getValue();
            failure += answer.getInt32("failure", new BsonInt32(0)).getValue();
            BsonArray items = answer.getArray("results", new BsonArray());
            // FCM answers one result per token, in the order sent.
            for (int i = 0; i < batch.size() && i < items.size(); i++) {
                String token = batch.get(i);
                BsonDocument item = items.get(i).asDocument();
                results.add(new BsonDocument("userId", new BsonString(owners.get(token))).append("token", new BsonString(token))
                        .append(item.containsKey("error") ? "error" : "messageId",
                                item.containsKey("error") ? item.get("error") : item.get("messageId", new BsonString(""))));
                tidy(service.name(), token, item);
            }
        }
        return new BsonDocument("success", new BsonInt32(success)).append("failure", new BsonInt32(failure))
                .append("results", results);
    }

    private void tidy(String serviceName, String token, BsonDocument item) {
        Bson device = Filters.and(Filters.eq("service", serviceName), Filters.eq("token", token));
        if (item.containsKey("error") && DEAD_TOKEN.contains(item.getString("error").getValue())) {
            registrations.deleteOne(device);
        } else if (item.containsKey("registrationId")) {
            String canonical = item.getString("registrationId").getValue();
            if (registrations.countDocuments(Filters.and(Filters.eq("service", serviceName), Filters.eq("token", canonical))) > 0) {
                registrations.deleteOne(device);
            } else {
                registrations.updateOne(device, Updates.set("token", canonical));
            }
        }
    }

    private static Args recipients(ConfiguredService service, BsonDocument message, String field, BsonValue value) {
        BsonDocument copy = message == null ? new BsonDocument() : message.clone();
        String where = Where.of(service, "push");
        if (copy.containsKey("to") || copy.containsKey("registrationTokens")) {
            throw new ServiceCallException(where + ": the message must not name its recipients (to, registrationTokens);"
                    + " they come from the topic or the users' registered devices");
        }
        copy.put(field, value);
        return new Args(where, copy);
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }
}
