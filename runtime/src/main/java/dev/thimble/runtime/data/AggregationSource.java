package dev.thimble.runtime.data;

import de.bwaldvogel.mongo.bson.Document;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the head of a read-only aggregation pipeline asks of its collection, in the terms of a find: the
 * filter of a first {@code $match}, the order of a {@code $sort} at the head (first, or right after that
 * {@code $match}), and how many documents of that order the following {@code $skip}/{@code $limit} stages can
 * use at most (0: all). The library reads every document of the collection into the pipeline
 * ({@code queryAllAsStream}); {@link ObservedH2Collection} answers that read with this find instead, which its
 * field indexes can serve (decision 0043).
 *
 * <p>The pipeline still runs every stage on what the find returns, so the answer is the same by construction:
 * the find returns exactly the documents the {@code $match} keeps (re-matching them keeps all of them), in the
 * order the library's own stable sort gives (the same comparator as the {@code $sort} stage, ties in natural
 * order), and never fewer than the {@code $skip} + {@code $limit} that follow consume. Filters whose meaning
 * depends on the pipeline ({@code $expr} with the command's {@code let} variables) and sorts other than plain
 * field directions are left to the full read.
 */
record AggregationSource(String database, String collection, Document filter, Document sort, int wanted) {

    /** The aggregation running on this thread whose source read may be answered by a find. */
    private static final ThreadLocal<AggregationSource> PENDING = new ThreadLocal<>();

    /** The source of {@code command} (an {@code aggregate} command) or null when its head is neither $match nor $sort. */
    static AggregationSource of(String database, Document command) {
        if (!(command.get("aggregate") instanceof String collection) || !(command.get("pipeline") instanceof List<?> pipeline)) {
            return null;
        }
        Document filter = new Document();
        Document sort = null;
        int next = 0;
        if (stage(pipeline, next, "$match") instanceof Document match) {
            if (dependsOnPipeline(match)) {
                return null;
            }
            filter = match;
            next++;
        }
        if (stage(pipeline, next, "$sort") instanceof Document order) {
            if (!plainSort(order)) {
                return null;
            }
            sort = order;
            next++;
        }
        if (next == 0) {
            return null;
        }
        long skipped = 0;
        long wanted = 0;
        for (; next < pipeline.size(); next++) {
            if (stage(pipeline, next, "$skip") instanceof Number skip) {
                skipped += Math.max(0, skip.longValue());
            } else if (stage(pipeline, next, "$limit") instanceof Number limit && limit.longValue() > 0) {
                wanted = skipped + limit.longValue();
                break;
            } else {
                break;
            }
        }
        return new AggregationSource(database, collection, filter, sort, wanted > Integer.MAX_VALUE ? 0 : (int) wanted);
    }

    /** Runs {@code aggregation} with {@code source} (may be null) offered to the collection's first full read. */
    static <T> T offering(AggregationSource source, Supplier<T> aggregation) {
        if (source == null) {
            return aggregation.get();
        }
        PENDING.set(source);
        try {
            return aggregation.get();
        } finally {
            PENDING.remove();
        }
    }

    /**
     * The source offered for a full read of {@code database.collection} on this thread, taken (so a later read
     * of the same collection in the same pipeline, e.g. a {@code $lookup} of itself, reads everything), or null.
     */
    static AggregationSource take(String database, String collection) {
        AggregationSource source = PENDING.get();
        if (source == null || !source.database.equals(database) || !source.collection.equals(collection)) {
            return null;
        }
        PENDING.remove();
        return source;
    }

    private static Object stage(List<?> pipeline, int index, String name) {
        if (index >= pipeline.size() || !(pipeline.get(index) instanceof Map<?, ?> stage) || stage.size() != 1) {
            return null;
        }
        return stage.get(name);
    }

    /** {@code $expr}, {@code $where} or anything else that could see the command's variables: not a find's filter. */
    private static boolean dependsOnPipeline(Object value) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (entry.getKey() instanceof String key && (key.equals("$expr") || key.equals("$where"))) {
                    return true;
                }
                if (dependsOnPipeline(entry.getValue())) {
                    return true;
                }
            }
        } else if (value instanceof Collection<?> values) {
            for (Object element : values) {
                if (dependsOnPipeline(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {field: ±1, ...}: the same comparator for the find as for the $sort stage ($natural and $meta excluded). */
    private static boolean plainSort(Document order) {
        if (order.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, Object> entry : order.entrySet()) {
            if (entry.getKey().startsWith("$") || !(entry.getValue() instanceof Number n)
                    || (n.doubleValue() != 1 && n.doubleValue() != -1)) {
                return false;
            }
        }
        return true;
    }
}
