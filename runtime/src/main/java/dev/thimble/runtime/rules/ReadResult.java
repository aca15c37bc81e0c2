package dev.thimble.runtime.rules;

import org.bson.Document;

/** One document as the caller may see it: null when invisible; otherwise the document with unreadable fields removed. */
public record ReadResult(Document document, Decision decision) {
    public boolean visible() {
        return document != null;
    }
}
