package dev.thimble.runtime.rules;

import org.bson.Document;

import java.util.List;

/**
 * What to send to the database for a query run as a user: the caller's query ANDed with the
 * filters that applied, and the merged projection (null: none). {@code queriedFields} are the paths
 * the caller's query names; pass the plan to {@link CollectionRules#applyRead(RuleContext, Document, QueryPlan)}
 * so that a document matched through a field the role cannot read is dropped.
 *
 * @param allowed false when the namespace has no rules: run nothing and fail the request
 */
public record QueryPlan(boolean allowed, Document query, Document projection, List<String> queriedFields,
                        boolean queryOpaque, Decision decision) {
    public QueryPlan {
        queriedFields = List.copyOf(queriedFields);
    }

    QueryFields fields() {
        return new QueryFields(queriedFields, queryOpaque);
    }
}
