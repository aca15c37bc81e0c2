package dev.thimble.runtime.sync;

import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.rules.CollectionRules;
import dev.thimble.runtime.rules.Decision;
import dev.thimble.runtime.rules.RuleContext;
import dev.thimble.runtime.principal.Principal;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The app's rules as sync applies them to one class: reads of whole documents, and object writes. */
class SyncAccessTest {
    static final SyncSchema.SyncClass ITEM = new SyncSchema.SyncClass("Item", "shop", "items",
            Map.of("_id", "objectId", "owner_id", "string", "name", "string", "price", "double"));
    static final SyncSchema SCHEMA = new SyncSchema("mongodb-atlas", "shop", Set.of("_id", "owner_id"), Map.of("Item", ITEM));
    static final RuleContext ALICE = RuleContext.forUser(Principal.normal("alice")).build();

    static SyncRules rules(CollectionRules rules) {
        return new SyncRules() {
            @Override
            public RuleContext contextFor(AuthService.Authenticated user) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CollectionRules rulesFor(String service, String database, String collection) {
                return rules;
            }
        };
    }

    static SyncRules rule(String roles) {
        return rules(CollectionRules.compile(new CollectionRuleDef(Json.parse(
                "{\"database\":\"shop\",\"collection\":\"items\",\"roles\":" + roles + "}"))));
    }

    static SyncAccess.ClassView view(SyncRules rules) {
        return SyncAccess.view(SCHEMA, ITEM, rules, ALICE, new BsonDocument());
    }

    static BsonDocument doc(String json) {
        return BsonDocument.parse(json);
    }

    @Test
    void aCollectionWithNoRuleAndNoDefaultRuleShowsNothing() {
        SyncAccess.ClassView view = view(rules(CollectionRules.none("shop.items")));
        assertThat(view.empty()).isTrue();
        assertThat(view.readable(doc("{_id: 1, owner_id: 'alice', name: 'x'}"))).isFalse();
        Decision insert = SyncAccess.checkWrite(SCHEMA, ITEM, rules(CollectionRules.none("shop.items")), ALICE, null,
                doc("{_id: 1, owner_id: 'alice'}"));
        assertThat(insert.allowed()).isFalse();
        assertThat(insert.reason()).isEqualTo(Decision.Reason.NO_RULES);
    }

    @Test
    void documentFiltersDecideWhichDocumentsAreReadable() {
        SyncAccess.ClassView view = view(rule("[{\"name\":\"owner\",\"apply_when\":{},\"document_filters\":"
                + "{\"read\":{\"owner_id\":\"%%user.id\"},\"write\":{\"owner_id\":\"%%user.id\"}},\"read\":true,\"write\":true}]"));
        assertThat(view.readable(doc("{_id: 1, owner_id: 'alice', name: 'x'}"))).isTrue();
        assertThat(view.readable(doc("{_id: 2, owner_id: 'bob', name: 'x'}"))).isFalse();
    }

    @Test
    void aDocumentWithAHiddenSyncedFieldIsNotSentAtAll() {
        SyncAccess.ClassView view = view(rule("[{\"name\":\"partial\",\"apply_when\":{},"
                + "\"fields\":{\"_id\":{\"read\":true},\"owner_id\":{\"read\":true},\"name\":{\"read\":true}}}]"));
        assertThat(view.readable(doc("{_id: 1, owner_id: 'alice', name: 'x'}"))).isTrue();
        assertThat(view.readable(doc("{_id: 1, owner_id: 'alice', name: 'x', price: 3.5}"))).as("price is hidden").isFalse();
        assertThat(view.readable(doc("{_id: 1, owner_id: 'alice', name: 'x', tags: ['a']}")))
                .as("a hidden field the class does not sync hides nothing the client would see").isTrue();
        SyncAccess.ClassView noId = view(rule("[{\"name\":\"noId\",\"apply_when\":{},"
                + "\"fields\":{\"owner_id\":{\"read\":true},\"name\":{\"read\":true}}}]"));
        assertThat(noId.readable(doc("{_id: 1, owner_id: 'alice', name: 'x'}"))).as("a Realm object needs its primary key").isFalse();
    }

    @Test
    void writesAreJudgedAsInsertsUpdatesAndDeletes() {
        SyncRules owner = rule("[{\"name\":\"owner\",\"apply_when\":{},\"document_filters\":"
                + "{\"read\":{\"owner_id\":\"%%user.id\"},\"write\":{\"owner_id\":\"%%user.id\"}},\"read\":true,\"write\":true,"
                + "\"insert\":true,\"delete\":false}]");
        assertThat(SyncAccess.checkWrite(SCHEMA, ITEM, owner, ALICE, null, doc("{_id: 1, owner_id: 'alice'}")).allowed()).isTrue();
        Decision forged = SyncAccess.checkWrite(SCHEMA, ITEM, owner, ALICE, null, doc("{_id: 1, owner_id: 'bob'}"));
        assertThat(forged.allowed()).isFalse();
        assertThat(forged.role()).isEqualTo("owner");
        assertThat(forged.reason()).isEqualTo(Decision.Reason.DOCUMENT_FILTER);
        Decision giveAway = SyncAccess.checkWrite(SCHEMA, ITEM, owner, ALICE, doc("{_id: 1, owner_id: 'alice'}"),
                doc("{_id: 1, owner_id: 'bob'}"));
        assertThat(giveAway.allowed()).as("the document after the write must pass the write filter too").isFalse();
        Decision delete = SyncAccess.checkWrite(SCHEMA, ITEM, owner, ALICE, doc("{_id: 1, owner_id: 'alice'}"), null);
        assertThat(delete.allowed()).isFalse();
        assertThat(delete.reason()).isEqualTo(Decision.Reason.DELETE_NOT_ALLOWED);
    }

    @Test
    void aFieldTheRoleMayNotWriteRefusesTheUpdate() {
        SyncRules names = rule("[{\"name\":\"namer\",\"apply_when\":{},\"read\":true,\"fields\":{\"name\":{\"write\":true}}}]");
        assertThat(SyncAccess.checkWrite(SCHEMA, ITEM, names, ALICE, doc("{_id: 1, name: 'a', price: 1.0}"),
                doc("{_id: 1, name: 'b', price: 1.0}")).allowed()).isTrue();
        Decision price = SyncAccess.checkWrite(SCHEMA, ITEM, names, ALICE, doc("{_id: 1, name: 'a', price: 1.0}"),
                doc("{_id: 1, name: 'a', price: 2.0}"));
        assertThat(price.allowed()).isFalse();
        assertThat(price.reason()).isEqualTo(Decision.Reason.FIELDS_NOT_WRITABLE);
        assertThat(price.fieldsRejected()).extracting(Decision.FieldRejection::field).containsExactly("price");
    }
}
