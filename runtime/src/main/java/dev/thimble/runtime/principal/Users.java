package dev.thimble.runtime.principal;

import dev.thimble.runtime.auth.User;
import dev.thimble.runtime.functions.FunctionUser;
import dev.thimble.runtime.rules.RuleUser;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonDocumentReader;
import org.bson.Document;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;

import java.util.List;

/** The one user of a request, as each room needs to see it: functions' {@code context.user}, rules' {@code %%user}. */
public final class Users {
    private Users() {
    }

    public static FunctionUser forFunctions(User user, Document customData) {
        BsonArray identities = new BsonArray();
        for (User.Identity identity : user.identities()) {
            identities.add(new BsonDocument("id", new BsonString(identity.id()))
                    .append("provider_type", new BsonString(identity.providerType())));
        }
        return new FunctionUser(user.id(), user.type(), user.data().toBsonDocument(), identities,
                (customData == null ? new Document() : customData).toBsonDocument());
    }

    public static RuleUser forRules(User user, Document customData) {
        List<RuleUser.Identity> identities = user.identities().stream()
                .map(i -> new RuleUser.Identity(i.id(), i.providerType())).toList();
        return new RuleUser(user.id(), user.type(), user.data(), customData == null ? new Document() : customData, identities);
    }

    /** The rules' view of a function's caller (a function runs MongoDB calls as its caller). */
    public static RuleUser forRules(FunctionUser user) {
        List<RuleUser.Identity> identities = user.identities().stream()
                .map(value -> value.asDocument())
                .map(d -> new RuleUser.Identity(d.getString("id", new BsonString("")).getValue(),
                        d.getString("provider_type", new BsonString("")).getValue()))
                .toList();
        return new RuleUser(user.id(), user.type(), document(user.data()), document(user.customData()), identities);
    }

    private static final DocumentCodec DOCUMENTS = new DocumentCodec();

    /** BSON to a {@link Document} with the codec, value by value (not through JSON text and back). */
    private static Document document(BsonDocument bson) {
        return DOCUMENTS.decode(new BsonDocumentReader(bson), DecoderContext.builder().build());
    }
}
