package dev.thimble.ruledesigner;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.principal.Principal;
import org.bson.Document;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an unsaved rule edit would change: each user reads each sampled document under the saved
 * rules and under the edit (both through the runtime engine), and the differences are collected per
 * user: documents gained or lost, and fields gained or lost on documents visible under both; and
 * on the first {@link #MAX_WRITE_DOCUMENTS} documents, the fields an update may change, insert and
 * delete gained or lost.
 */
public final class WhatIf {
    private WhatIf() {
    }

    /** One document's change for one user; {@code id} is its {@code _id}. */
    public record DocumentChange(Object id, List<String> fieldsGained, List<String> fieldsLost) {
        public DocumentChange {
            fieldsGained = List.copyOf(fieldsGained);
            fieldsLost = List.copyOf(fieldsLost);
        }
    }

    /**
     * One document's write change for one user: fields an update may newly change or no longer
     * change, and whether inserting (a document like it) or deleting it became allowed ({@code TRUE}),
     * refused ({@code FALSE}) or stayed as it was ({@code null}).
     */
    public record WriteChange(Object id, List<String> fieldsGained, List<String> fieldsLost, Boolean insert, Boolean delete) {
        public WriteChange {
            fieldsGained = List.copyOf(fieldsGained);
            fieldsLost = List.copyOf(fieldsLost);
        }
    }

    /**
     * One user's changes: documents they would newly see, no longer see, and see with other fields;
     * and the documents on which what they may write, insert or delete changes.
     */
    public record UserChange(String userId, List<DocumentChange> gained, List<DocumentChange> lost, List<DocumentChange> changed,
                             List<WriteChange> writes) {
        public UserChange {
            gained = List.copyOf(gained);
            lost = List.copyOf(lost);
            changed = List.copyOf(changed);
            writes = List.copyOf(writes);
        }

        /** Read changes only. */
        public UserChange(String userId, List<DocumentChange> gained, List<DocumentChange> lost, List<DocumentChange> changed) {
            this(userId, gained, lost, changed, List.of());
        }

        public boolean isEmpty() {
            return gained.isEmpty() && lost.isEmpty() && changed.isEmpty() && writes.isEmpty();
        }
    }

    /**
     * Every user that was compared, in the order given, with or without changes; reads were compared
     * on {@code documents} documents, writes on the first {@code writeDocuments} of them.
     */
    public record Report(String namespace, int documents, int writeDocuments, List<UserChange> users) {
        public Report {
            users = List.copyOf(users);
        }

        public Report(String namespace, int documents, List<UserChange> users) {
            this(namespace, documents, 0, users);
        }

        public int documentsGained() { return users.stream().mapToInt(u -> u.gained().size()).sum(); }
        public int documentsLost() { return users.stream().mapToInt(u -> u.lost().size()).sum(); }
        public int fieldsGained() { return users.stream().flatMap(u -> u.changed().stream()).mapToInt(c -> c.fieldsGained().size()).sum(); }
        public int fieldsLost() { return users.stream().flatMap(u -> u.changed().stream()).mapToInt(c -> c.fieldsLost().size()).sum(); }

        /** One line per user with changes, e.g. {@code nurse-joy: +1 documents, -0 documents, fields +2 -1}. */
        public String summary() {
            StringBuilder b = new StringBuilder();
            for (UserChange u : users) {
                if (u.isEmpty()) {
                    continue;
                }
                int fg = u.changed().stream().mapToInt(c -> c.fieldsGained().size()).sum();
                int fl = u.changed().stream().mapToInt(c -> c.fieldsLost().size()).sum();
                b.append(u.userId()).append(": +").append(u.gained().size()).append(" documents, -").append(u.lost().size())
                        .append(" documents, fields +").append(fg).append(" -").append(fl);
                if (!u.writes().isEmpty()) {
                    b.append(", writes change on ").append(u.writes().size()).append(" documents");
                }
                b.append('\n');
            }
            return b.isEmpty() ? "No user would see anything different in the " + documents + " sampled documents.\n" : b.toString();
        }
    }

    /**
     * Most documents the write comparison probes: a write verdict needs one probe per field per
     * document per user (twice: saved and edited), so writes are compared on the first this many.
     */
    public static final int MAX_WRITE_DOCUMENTS = 200;

    /** Compares the saved rules ({@code saved}) with the edit ({@code edited}) for each user over {@code documents}: reads only. */
    public static Report compare(Simulator saved, Simulator edited, String service, String namespace,
                                 List<Principal> users, List<Document> documents) {
        return compare(saved, edited, service, namespace, users, documents, 0);
    }

    /**
     * Compares reads over {@code documents} and writes (fields an update may change, insert, delete)
     * over the first {@code writeDocuments} of them.
     */
    public static Report compare(Simulator saved, Simulator edited, String service, String namespace,
                                 List<Principal> users, List<Document> documents, int writeDocuments) {
        List<Document> writeProbed = documents.subList(0, Math.min(Math.max(0, writeDocuments), documents.size()));
        List<UserChange> out = new ArrayList<>();
        for (Principal user : users) {
            List<DocumentChange> gained = new ArrayList<>();
            List<DocumentChange> lost = new ArrayList<>();
            List<DocumentChange> changed = new ArrayList<>();
            for (Document doc : documents) {
                Document before = saved.received(user, service, namespace, doc);
                Document after = edited.received(user, service, namespace, doc);
                Object id = doc.get("_id");
                if (before == null && after != null) {
                    gained.add(new DocumentChange(id, Simulator.Paths.of(after), List.of()));
                } else if (before != null && after == null) {
                    lost.add(new DocumentChange(id, List.of(), Simulator.Paths.of(before)));
                } else if (before != null) {
                    Set<String> b = new LinkedHashSet<>(Simulator.Paths.of(before));
                    Set<String> a = new LinkedHashSet<>(Simulator.Paths.of(after));
                    List<String> plus = a.stream().filter(p -> !b.contains(p)).toList();
                    List<String> minus = b.stream().filter(p -> !a.contains(p)).toList();
                    if (!plus.isEmpty() || !minus.isEmpty()) {
                        changed.add(new DocumentChange(id, plus, minus));
                    }
                }
            }
            List<WriteChange> writes = new ArrayList<>();
            for (Document doc : writeProbed) {
                Simulator.Writes before = saved.writes(user, service, namespace, doc);
                Simulator.Writes after = edited.writes(user, service, namespace, doc);
                List<String> plus = after.fields().stream().filter(f -> !before.fields().contains(f)).toList();
                List<String> minus = before.fields().stream().filter(f -> !after.fields().contains(f)).toList();
                Boolean insert = before.insert() == after.insert() ? null : after.insert();
                Boolean delete = before.delete() == after.delete() ? null : after.delete();
                if (!plus.isEmpty() || !minus.isEmpty() || insert != null || delete != null) {
                    writes.add(new WriteChange(doc.get("_id"), plus, minus, insert, delete));
                }
            }
            out.add(new UserChange(user.id(), gained, lost, changed, writes));
        }
        return new Report(namespace, documents.size(), writeProbed.size(), out);
    }

    /** Most documents a what-if compares over: "every document" up to this many (the report says when there were more). */
    public static final int MAX_DOCUMENTS = 20_000;

    /** What a summary line is about. */
    public enum Permission { READ, WRITE, INSERT, DELETE }

    /**
     * One line of the summary: {@code users} gain (or lose) {@code permission} on {@code field} on
     * {@code documents} documents; a null field means whole documents (read: visible now, invisible
     * before, or the reverse; insert and delete are always whole documents).
     */
    public record Headline(Permission permission, String field, boolean gained, Set<String> users, Set<Object> documents) {
        /** A read headline. */
        public Headline(String field, boolean gained, Set<String> users, Set<Object> documents) {
            this(Permission.READ, field, gained, users, documents);
        }

        public String describe() {
            boolean one = users.size() == 1;
            String who = users.size() + (one ? " user " : " users ");
            String verb = (gained ? "gain" : "lose") + (one ? "s" : "");
            String docs = String.format(java.util.Locale.US, "%,d", documents.size()) + (documents.size() == 1 ? " document" : " documents");
            return switch (permission) {
                case READ -> field == null ? who + verb + " " + docs + (gained ? " they could not read before" : " they can read now")
                        : who + verb + " read on `" + field + "` on " + docs;
                case WRITE -> who + verb + " write on `" + field + "` on " + docs;
                case INSERT -> who + verb + " insert of " + docs + " like these";
                case DELETE -> who + verb + " delete on " + docs;
            };
        }
    }

    /**
     * The summary, most documents first: who gains or loses read on which field on how many documents,
     * and whole documents gained or lost. Empty when nothing changes.
     */
    public static List<Headline> headlines(Report report) {
        Map<String, Headline> byKey = new LinkedHashMap<>();
        for (UserChange u : report.users()) {
            for (DocumentChange c : u.gained()) {
                add(byKey, null, true, u.userId(), c.id());
            }
            for (DocumentChange c : u.lost()) {
                add(byKey, null, false, u.userId(), c.id());
            }
            for (DocumentChange c : u.changed()) {
                c.fieldsGained().forEach(f -> add(byKey, f, true, u.userId(), c.id()));
                c.fieldsLost().forEach(f -> add(byKey, f, false, u.userId(), c.id()));
            }
            for (WriteChange w : u.writes()) {
                w.fieldsGained().forEach(f -> add(byKey, Permission.WRITE, f, true, u.userId(), w.id()));
                w.fieldsLost().forEach(f -> add(byKey, Permission.WRITE, f, false, u.userId(), w.id()));
                if (w.insert() != null) {
                    add(byKey, Permission.INSERT, null, w.insert(), u.userId(), w.id());
                }
                if (w.delete() != null) {
                    add(byKey, Permission.DELETE, null, w.delete(), u.userId(), w.id());
                }
            }
        }
        List<Headline> out = new ArrayList<>(byKey.values());
        out.sort(java.util.Comparator.comparingInt((Headline h) -> -h.documents().size() * Math.max(1, h.users().size()))
                .thenComparing(h -> h.field() == null ? "" : h.field()));
        return out;
    }

    private static void add(Map<String, Headline> byKey, String field, boolean gained, String user, Object document) {
        add(byKey, Permission.READ, field, gained, user, document);
    }

    private static void add(Map<String, Headline> byKey, Permission permission, String field, boolean gained, String user, Object document) {
        Headline h = byKey.computeIfAbsent(permission + (gained ? "+" : "-") + (field == null ? "\0doc" : field),
                k -> new Headline(permission, field, gained, new LinkedHashSet<>(), new LinkedHashSet<>()));
        h.users().add(user);
        h.documents().add(document);
    }

    /**
     * Compares over every document of the collection (up to {@link #MAX_DOCUMENTS}) for the users of
     * the latest {@code logRecords} requests and the {@code simulated} users (crafted ones included),
     * each once.
     */
    public static Report compareAll(Simulator saved, RuleDesign edit, String service, LiveData live, int logRecords,
                                    List<Principal> simulated) {
        Map<String, Principal> users = new LinkedHashMap<>();
        usersFromLogs(live, logRecords).forEach(u -> users.putIfAbsent(u.id(), u));
        simulated.forEach(u -> users.putIfAbsent(u.id(), u));
        List<Document> documents = live.find(edit.namespace(), new Document(), MAX_DOCUMENTS);
        return compare(saved, saved.with(service, edit), service, edit.namespace(), new ArrayList<>(users.values()), documents,
                MAX_WRITE_DOCUMENTS);
    }

    /**
     * Compares over live data: {@code sampleSize} documents of the namespace and the distinct users
     * of the latest {@code logRecords} log records that the user store still has.
     */
    public static Report compareLive(Simulator saved, RuleDesign edit, String service, LiveData live, int sampleSize, int logRecords) {
        return compare(saved, saved.with(service, edit), service, edit.namespace(), usersFromLogs(live, logRecords),
                live.sample(edit.namespace(), sampleSize), MAX_WRITE_DOCUMENTS);
    }

    /** The distinct users seen in the latest log records, as rules see them now (users since deleted are left out). */
    public static List<Principal> usersFromLogs(LiveData live, int logRecords) {
        Map<String, Principal> users = new LinkedHashMap<>();
        for (LogRecord r : live.recentLogs(logRecords)) {
            if (r.userId() != null && !users.containsKey(r.userId())) {
                live.user(r.userId()).ifPresent(u -> users.put(u.id(), u.ruleUser()));
            }
        }
        return new ArrayList<>(users.values());
    }
}
