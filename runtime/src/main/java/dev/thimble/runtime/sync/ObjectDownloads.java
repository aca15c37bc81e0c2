package dev.thimble.runtime.sync;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a client receives of objects' stored state rather than of the history: an object's fields as changesets, each
 * with the stamp of the write that set it (a bootstrap, a catch-up, a live change), a list's element edits instead of its
 * whole content, and a counter's increments and last set (decision record "sync counters"). It exists apart from
 * {@link SyncService}, which integrates uploads and delivers changes, so the rules for turning stored state into a
 * client's changesets live in one place.
 */
final class ObjectDownloads {
    private final SyncService service;
    private final SyncStamps stamps;
    private final ClientFiles clientFiles;
    private final SyncHistory history;
    private final RecordedListEdits listEdits;

    ObjectDownloads(SyncService service, SyncStamps stamps, ClientFiles clientFiles, SyncHistory history, RecordedListEdits listEdits) {
        this.service = service;
        this.stamps = stamps;
        this.clientFiles = clientFiles;
        this.history = history;
        this.listEdits = listEdits;
    }

    /**
     * A list's element edits as the changesets a client receives instead of the list's whole content:
     * those integrated after server version {@code since} by others than {@code receiver}, each with its
     * writer's timestamp and file (so the client orders concurrent inserts as the server did) and the
     * receiver's own uploads it had been merged past ({@link SyncHistory#integratedBefore}).
     */
    List<SyncService.Download> listOpDownloads(String table, BsonValue pk, String field, long since, long onlyVersion, long receiver) {
        SyncSchema schema = service.requireSchema();
        String key = service.objectKey(schema, table, pk);
        List<SyncService.Download> out = new ArrayList<>();
        for (Document d : listEdits.ofField(key, field, since, onlyVersion, receiver)) {
            out.add(listOpDownload(schema, table, pk, field, d, receiver));
        }
        return out;
    }

    /**
     * The element edits others made of the lists of {@code objects} that were integrated after server
     * version {@code seen} and before {@code before}, oldest first: what an uploader's list edits were
     * merged past, which its client must receive (with their headers) before its upload is acknowledged.
     */
    List<SyncService.ListOpDownload> concurrentListOpsBefore(List<SyncService.HistoryObject> objects, long seen, long before, long receiver) {
        if (objects.isEmpty() || before <= seen + 1) {
            return List.of();
        }
        SyncSchema schema = service.requireSchema();
        Map<String, SyncService.HistoryObject> byKey = new java.util.LinkedHashMap<>();
        for (SyncService.HistoryObject o : objects) {
            byKey.put(service.objectKey(schema, o.table(), o.pk()), o);
        }
        List<SyncService.ListOpDownload> out = new ArrayList<>();
        for (Document d : listEdits.ofObjects(byKey.keySet(), seen, before, receiver)) {
            SyncService.HistoryObject o = byKey.get(d.getString("key"));
            String field = d.getString("field");
            out.add(new SyncService.ListOpDownload(o.table(), Changesets.realmValue(o.pk()), field, listOpDownload(schema, o.table(), o.pk(), field, d, receiver)));
        }
        return out;
    }

    private SyncService.Download listOpDownload(SyncSchema schema, String table, BsonValue pk, String field, Document d, long receiver) {
        long v = d.get("v", Number.class).longValue();
        List<Instruction> instructions = new ArrayList<>(List.of(new Instruction.CreateObject(table, Changesets.realmValue(pk))));
        if (Counters.isIncrement(d)) {
            // A counter's increment goes as itself, with its writer's timestamp (decision record "sync counters").
            instructions.add(new Instruction.AddInteger(table, Changesets.realmValue(pk), field, d.get("inc", Number.class).longValue()));
            return new SyncService.Download(d.get("ts", Number.class).longValue(), d.get("o", Number.class).longValue(), Changesets.encode(instructions), v,
                    history.integratedBefore(receiver, v));
        }
        BsonValue realmPk = Changesets.realmValue(pk);
        SyncSchema.SyncClass c = SyncService.classFor(schema, table);
        String linkTarget = c.linkTarget(field);
        SyncSchema.SyncClass embedded = c.embeddedClass(field);
        Map<String, Set<String>> declared = embedded == null ? null : clientFiles.columnsOf(receiver);
        Set<String> declaredSubs = declared == null ? null : declared.get(embedded.name());
        for (ListMerge.Op op : ListMerge.opsOf(d)) {
            Instruction.CollectionEdit e = op.edit(table, realmPk, field);
            BsonValue value = e.value();
            if (value == null || value == Changesets.ERASED_VALUE || value == Changesets.NEW_OBJECT) {
                instructions.add(e); // an erase, a move or a new embedded object: no value to turn back into a Realm value
                continue;
            }
            if (e.sub() != null) {
                if (declaredSubs != null && !declaredSubs.contains(e.sub())) {
                    continue; // a sub-field the receiving client's schema does not have (realm-core fails on it)
                }
                String subLink = embedded.linkTarget(e.sub());
                value = subLink != null && !value.isNull() ? Changesets.link(subLink, value)
                        : MixedLinks.isStoredLink(value) ? MixedLinks.linksIn(schema, value)
                        : Changesets.forSchemaType(embedded.fieldTypes().get(e.sub()), Changesets.realmValue(value));
                instructions.add(new Instruction.CollectionEdit(e.table(), e.pk(), e.field(), e.type(), e.index(), null, value, -1, -1, e.sub()));
                continue;
            }
            if (linkTarget != null && !value.isNull()) {
                value = Changesets.link(linkTarget, value);
            } else if (MixedLinks.isStoredLink(value)) {
                value = MixedLinks.linksIn(schema, value);
            } else {
                value = Changesets.forSchemaType(c.collectionOf(field).itemType(), Changesets.realmValue(value));
            }
            instructions.add(new Instruction.CollectionEdit(e.table(), e.pk(), e.field(), e.type(), e.index(), e.key(), value, e.to(),
                    e.priorSize()));
        }
        return new SyncService.Download(d.get("ts", Number.class).longValue(), d.get("o", Number.class).longValue(), Changesets.encode(instructions), v,
                history.integratedBefore(receiver, v));
    }

    /**
     * The state of some documents of a class as changesets, each field sent with the stamp of the write
     * that set it: one changeset per distinct (origin timestamp, origin file), oldest first, each
     * creating the objects it updates (CreateObject is idempotent). A field never stamped (a document
     * written before sync knew it) goes with timestamp 0, so any client write wins over it on both sides.
     *
     * @param only     the fields to send (null: every field the class syncs)
     * @param receiver the client file the changesets go to: its own writes are sent as the server's
     *                 (same timestamp), since a client refuses a changeset that names it as the origin
     */
    SyncService.ObjectState objectState(String table, List<BsonDocument> docs, Set<String> only, long receiver) {
        return objectState(table, docs, only, receiver, -1);
    }

    /**
     * The whole state of objects a returning client may hold an older version of (a catch-up): as
     * {@link #objectState}, plus a clear of every optional field, collection and embedded object the
     * document no longer has, so a field removed while the client was away does not stay on it.
     */
    SyncService.ObjectState stateForReturningClient(String table, List<BsonDocument> docs, long receiver, long since) {
        SyncSchema schema = service.requireSchema();
        SyncSchema.SyncClass c = SyncService.classFor(schema, table);
        List<String> opLists = c.collections().keySet().stream().filter(f -> SyncService.opMergedList(c, f)).toList();
        List<String> counters = listEdits.incrementsRecorded() ? c.fieldTypes().keySet().stream().filter(f -> Counters.counterField(c, f)).toList() : List.of();
        if (opLists.isEmpty() && counters.isEmpty()) {
            return objectState(table, docs, null, receiver, since);
        }
        // A list nobody replaced as a whole since the client's version goes as the element edits others made
        // since (none: the client has it), so edits it made offline merge with them instead of being cleared.
        List<SyncService.Download> out = new ArrayList<>();
        long version = 0;
        for (BsonDocument doc : docs) {
            BsonValue pk = Changesets.realmValue(doc.get("_id"));
            SyncStamps.ObjectStamps objectStamps = stamps.get(service.objectKey(schema, table, pk));
            Set<String> fields = new java.util.LinkedHashSet<>(c.fieldTypes().keySet());
            fields.addAll(c.collections().keySet());
            fields.remove("_id");
            for (String f : counters) {
                List<SyncService.Download> changes = counterDownloads(table, pk, f, doc, objectStamps, since, since, receiver);
                if (changes != null) {
                    fields.remove(f);
                    for (SyncService.Download d : changes) {
                        out.add(d);
                        version = Math.max(version, d.version());
                    }
                }
            }
            for (String f : opLists) {
                if (!SyncStamps.concurrent(objectStamps.fields().get(f), receiver, since)) {
                    fields.remove(f);
                    for (SyncService.Download d : listOpDownloads(table, pk, f, since, 0, receiver)) {
                        out.add(d);
                        version = Math.max(version, d.version());
                    }
                }
            }
            SyncService.ObjectState rest = objectState(table, List.of(doc), fields, receiver, since);
            out.addAll(rest.changesets());
            version = Math.max(version, rest.version());
        }
        return new SyncService.ObjectState(out, version);
    }

    /**
     * A counter field's changes a client has not been sent, in server order (decision record "sync counters"): the
     * increments others made after server version {@code opsFrom}, each an AddInteger with its writer's timestamp, and,
     * when the field's last set is another's and newer than {@code setFrom}, that set as an Update at its place among
     * them, its value the current one less the increments that follow it. The client then merges its own unsynced
     * sets and increments with them by realm-core's rule, as the server does. Empty when there is nothing to send;
     * null when the field is not sent this way (no increment was ever recorded, or it holds neither a number nor null).
     */
    List<SyncService.Download> counterDownloads(String table, BsonValue pk, String field, BsonDocument doc, long opsFrom, long setFrom, long receiver) {
        return !listEdits.incrementsRecorded() ? null
                : counterDownloads(table, pk, field, doc, stamps.get(service.objectKey(service.requireSchema(), table, pk)), opsFrom, setFrom, receiver);
    }

    private List<SyncService.Download> counterDownloads(String table, BsonValue pk, String field, BsonDocument doc, SyncStamps.ObjectStamps objectStamps,
                                            long opsFrom, long setFrom, long receiver) {
        BsonValue current = doc.get(field);
        // A stored null goes this way too: increments of it were recorded (they changed nothing), and a client with
        // an unsynced earlier set must receive them as AddInteger to count them, as the server does when it arrives.
        if (!listEdits.incrementsRecorded() || current == null || !(current.isNumber() || current.isNull())) {
            return null;
        }
        SyncSchema schema = service.requireSchema();
        String key = service.objectKey(schema, table, pk);
        long erased = objectStamps.erased() == null ? 0 : objectStamps.erased().version(); // increments of an erased object are gone
        SyncStamps.Stamp set = objectStamps.fields().get(field);
        boolean sendSet = set != null && set.origin() != receiver && set.version() > Math.max(setFrom, erased);
        List<Document> increments = listEdits.increments(key, field, Math.max(opsFrom, erased), receiver);
        List<SyncService.Download> before = new ArrayList<>();
        List<SyncService.Download> after = new ArrayList<>();
        long following = 0;
        for (Document d : increments) {
            SyncService.Download increment = listOpDownload(schema, table, pk, field, d, receiver);
            if (sendSet && increment.version() >= set.version()) {
                following += d.get("inc", Number.class).longValue();
                // After a set sent "at the latest": the same, so a catch-up's ordering keeps them after it.
                after.add(new SyncService.Download(increment.timestamp(), increment.origin(), increment.changeset(), increment.version(), -1));
            } else {
                before.add(increment);
            }
        }
        List<SyncService.Download> out = new ArrayList<>(before);
        if (sendSet) {
            BsonValue realmPk = Changesets.realmValue(pk);
            BsonValue value = Changesets.realmValue(Counters.plus(current, -following));
            out.add(new SyncService.Download(set.timestamp(), set.origin(), Changesets.encode(List.of(new Instruction.CreateObject(table, realmPk),
                    new Instruction.Update(table, realmPk, field, value, set.dflt()))), set.version(), -1));
            out.addAll(after);
        }
        return out;
    }

    /**
     * {@code seenThrough}: for a catch-up, the server version the receiving client had integrated (-1 otherwise). Every
     * field whose last set is at or below it goes as a default value: the client holds that set already (realm-core never
     * sends it again), and its own unsynced writes are all later than it whatever their timestamps, so they must win (a
     * set) or add to it (an increment) as they do on the server; a default loses to both (decision record 0065). Without
     * it, a client whose clock runs behind lost them to the re-sent set, whose timestamp is later.
     */
    private SyncService.ObjectState objectState(String table, List<BsonDocument> docs, Set<String> only, long receiver, long seenThrough) {
        boolean clearAbsent = seenThrough >= 0;
        SyncSchema schema = service.requireSchema();
        SyncSchema.SyncClass c = SyncService.classFor(schema, table);
        List<String> keys = docs.stream().map(d -> SyncService.key(c.database(), c.collection(), d.get("_id"))).toList();
        Map<String, SyncStamps.ObjectStamps> stored = stamps.get(keys);
        java.util.TreeMap<SyncStamps.Stamp, List<Instruction>> groups = new java.util.TreeMap<>(
                java.util.Comparator.comparingLong(SyncStamps.Stamp::timestamp).thenComparingLong(SyncStamps.Stamp::origin));
        SyncStamps.Stamp unstamped = new SyncStamps.Stamp(0, SyncService.SERVER_FILE_IDENT, 0);
        Map<String, Set<String>> receiverColumns = clientFiles.columnsOf(receiver);
        Set<String> declared = receiverColumns == null ? null : receiverColumns.get(c.name());
        long version = 0;
        for (int i = 0; i < docs.size(); i++) {
            BsonDocument doc = docs.get(i);
            BsonValue pk = Changesets.realmValue(doc.get("_id"));
            SyncStamps.ObjectStamps objectStamps = stored.getOrDefault(keys.get(i), SyncStamps.ObjectStamps.NONE);
            Map<SyncStamps.Stamp, List<Instruction>> perObject = new java.util.LinkedHashMap<>();
            Map<String, List<Instruction>> fields = FieldInstructions.of(schema, c, table, pk, doc, receiverColumns);
            if (declared != null) {
                fields.keySet().retainAll(declared);
            }
            // A field no longer in the document must reach a client that may still hold it: the changed fields
            // of a live change, and always a deleted embedded object (a catch-up sends whole objects).
            java.util.Set<String> mayBeAbsent = new java.util.LinkedHashSet<>(only != null ? only : Set.of());
            c.embedded().keySet().stream().filter(c::singleEmbedded).forEach(mayBeAbsent::add);
            if (clearAbsent) {
                mayBeAbsent.addAll(c.fieldTypes().keySet());
                mayBeAbsent.addAll(c.collections().keySet());
                mayBeAbsent.addAll(c.embedded().keySet());
                mayBeAbsent.remove("_id");
            }
            if (declared != null) {
                mayBeAbsent.retainAll(declared);
            }
            for (String f : mayBeAbsent) {
                List<Instruction> absent = doc.containsKey(f) ? null : FieldInstructions.absent(c, table, pk, f);
                if (absent != null) {
                    fields.put(f, absent);
                }
            }
            for (Map.Entry<String, List<Instruction>> field : fields.entrySet()) {
                if (only != null && !only.contains(field.getKey())) {
                    continue;
                }
                SyncStamps.Stamp s = objectStamps.fields().getOrDefault(field.getKey(), unstamped);
                version = Math.max(version, s.version());
                SyncStamps.Stamp groupKey = new SyncStamps.Stamp(s.timestamp(), s.origin() == receiver ? SyncService.SERVER_FILE_IDENT : s.origin(), 0);
                // A default value stays one: a client's concurrent increment survives it (decision record "sync counters").
                boolean seen = clearAbsent && s.version() <= seenThrough;
                List<Instruction> set = !s.dflt() && !seen ? field.getValue() : field.getValue().stream()
                        .map(x -> x instanceof Instruction.Update u && (s.dflt() || u.value() != Changesets.NEW_OBJECT)
                                ? new Instruction.Update(u.table(), u.pk(), u.field(), u.value(), true) : x)
                        .toList();
                perObject.computeIfAbsent(groupKey, k -> new ArrayList<>(List.of(new Instruction.CreateObject(table, pk)))).addAll(set);
            }
            if (perObject.isEmpty() && only == null) {
                perObject.put(unstamped, new ArrayList<>(List.of(new Instruction.CreateObject(table, pk))));
            }
            perObject.forEach((stamp, instructions) -> groups.computeIfAbsent(stamp, k -> new ArrayList<>()).addAll(instructions));
        }
        List<SyncService.Download> out = new ArrayList<>();
        groups.forEach((stamp, instructions) -> out.add(new SyncService.Download(stamp.timestamp(), stamp.origin(), Changesets.encode(instructions))));
        return new SyncService.ObjectState(out, version);
    }
}
