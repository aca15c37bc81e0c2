package dev.thimble.runtime.rules;

import dev.thimble.runtime.rules.Decision.Outcome;
import dev.thimble.runtime.rules.Decision.Reason;
import dev.thimble.runtime.rules.RuleSpace.Caller;
import dev.thimble.runtime.rules.RuleSpace.Operation;
import dev.thimble.runtime.rules.RuleSpace.Permission;
import dev.thimble.runtime.rules.RuleSpace.Shape;
import dev.thimble.runtime.rules.RuleSpace.Verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * A second, deliberately plain reading of STITCH-SPEC §2A/§2B, written from the spec and not from
 * the engine: straight if/else over the enums of {@link RuleSpace}, no JSON, no expressions.
 *
 * <p>The reading: the role applies per its apply_when, judged on the stored document (the new one
 * for inserts). document_filters: undefined means true; a document is readable when the read
 * filter holds or a write filter is defined and holds; writes need the write filter. A field is
 * writable when the document-level write is set and true, or — only when it is unset — when the
 * field's entry (or additional_fields) has write true. A field is readable when it is writable, or
 * when the document-level read is set and true, or — only when it is unset — when its entry has
 * read true. No readable field: the document is hidden. Writes are rejected for changed fields
 * that are not writable; insert/delete (default true) are looked at only after that.
 */
final class RulesOracle {
    private RulesOracle() {
    }

    /** The case's documents: the stored one and the one after the operation (null when there is none). */
    static String[] before(Operation op) {
        return switch (op) {
            case INSERT -> null;
            default -> new String[] {"1", "u1", "red", "t", "s"};
        };
    }

    static String[] after(Operation op) {
        return switch (op) {
            case READ -> new String[] {"1", "u1", "red", "t", "s"};
            case INSERT -> new String[] {"1", "u1", "red", "t", "s"};
            case UPDATE_TITLE -> new String[] {"1", "u1", "red", "t2", "s"};
            case UPDATE_SECRET -> new String[] {"1", "u1", "red", "t", "s2"};
            case REPLACE -> new String[] {"1", "u1", "red", "t3", null};
            case DELETE -> null;
        };
    }

    static Verdict verdict(Shape shape, Operation op, Caller caller) {
        // every document of the space has owner u1 and team red; no operation changes them
        boolean owns = caller.id.equals(RuleSpace.OWNER_ID);
        boolean sameTeam = caller.team != null && caller.team.equals(RuleSpace.TEAM);

        boolean roleApplies;
        switch (shape.applyWhen()) {
            case ALWAYS -> roleApplies = true;
            case OWNER -> roleApplies = owns;
            case TEAM -> roleApplies = sameTeam;
            case SERVER -> roleApplies = caller.type.equals("server");
            case NOT_ANONYMOUS -> roleApplies = !caller.providerType.equals("anon-user");
            default -> throw new IllegalStateException();
        }
        if (!roleApplies) {
            return new Verdict(Outcome.DENIED, Reason.NO_ROLE, List.of());
        }

        Boolean readFilter = null;
        Boolean writeFilter = null;
        switch (shape.documentFilters()) {
            case UNSET -> { }
            case READ_TEAM -> readFilter = sameTeam;
            case READ_TEAM_WRITE_OWNER -> {
                readFilter = sameTeam;
                writeFilter = owns;
            }
            case READ_ALL_WRITE_NONE -> {
                readFilter = true;
                writeFilter = false;
            }
            default -> throw new IllegalStateException();
        }

        if (op == Operation.READ) {
            boolean documentReadable = readFilter == null || readFilter || (writeFilter != null && writeFilter);
            if (!documentReadable) {
                return new Verdict(Outcome.DENIED, Reason.DOCUMENT_FILTER, List.of());
            }
            List<String> visible = new ArrayList<>();
            for (String field : RuleSpace.FIELDS) {
                if (canRead(shape, field, owns)) {
                    visible.add(field);
                }
            }
            if (visible.isEmpty()) {
                return new Verdict(Outcome.DENIED, Reason.NO_READABLE_FIELDS, List.of());
            }
            Outcome outcome = visible.size() == RuleSpace.FIELDS.size() ? Outcome.ALLOWED : Outcome.PARTIAL;
            return new Verdict(outcome, Reason.RULES, visible);
        }

        if (writeFilter != null && !writeFilter) {
            return new Verdict(Outcome.DENIED, Reason.DOCUMENT_FILTER, List.of());
        }
        String[] before = before(op);
        String[] after = after(op);
        List<String> rejected = new ArrayList<>();
        for (int i = 0; i < RuleSpace.FIELDS.size(); i++) {
            String was = before == null ? null : before[i];
            String now = after == null ? null : after[i];
            boolean changed = was == null ? now != null : !was.equals(now);
            if (changed && !canWrite(shape, RuleSpace.FIELDS.get(i), owns)) {
                rejected.add(RuleSpace.FIELDS.get(i));
            }
        }
        if (!rejected.isEmpty()) {
            return new Verdict(Outcome.DENIED, Reason.FIELDS_NOT_WRITABLE, rejected);
        }
        if (op == Operation.INSERT || op == Operation.DELETE) {
            boolean permitted = switch (shape.insertDelete()) {
                case DEFAULT -> true;
                case FALSE -> false;
                case IF_OWNER -> owns;
            };
            if (!permitted) {
                return new Verdict(Outcome.DENIED, op == Operation.INSERT ? Reason.INSERT_NOT_ALLOWED : Reason.DELETE_NOT_ALLOWED, List.of());
            }
        }
        return new Verdict(Outcome.ALLOWED, Reason.RULES, List.of());
    }

    private static boolean canWrite(Shape shape, String field, boolean owns) {
        if (shape.write() != Permission.UNSET) {
            return holds(shape.write(), owns);
        }
        if (field.equals("secret") && shape.secret() != RuleSpace.SecretEntry.ABSENT) {
            return switch (shape.secret()) {
                case READ_WRITE, WRITE -> true;
                default -> false;
            };
        }
        return switch (shape.additional()) {
            case READ_WRITE -> true;
            default -> false;
        };
    }

    private static boolean canRead(Shape shape, String field, boolean owns) {
        if (canWrite(shape, field, owns)) {
            return true;
        }
        if (shape.read() != Permission.UNSET) {
            return holds(shape.read(), owns);
        }
        if (field.equals("secret") && shape.secret() != RuleSpace.SecretEntry.ABSENT) {
            return switch (shape.secret()) {
                case READ, READ_WRITE -> true;
                case READ_IF_OWNER -> owns;
                default -> false;
            };
        }
        return switch (shape.additional()) {
            case READ, READ_WRITE -> true;
            default -> false;
        };
    }

    private static boolean holds(Permission permission, boolean owns) {
        return switch (permission) {
            case TRUE -> true;
            case FALSE -> false;
            case IF_OWNER -> owns;
            case UNSET -> throw new IllegalStateException("unset has no value");
        };
    }
}
