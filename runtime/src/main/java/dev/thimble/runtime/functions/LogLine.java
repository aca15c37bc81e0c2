package dev.thimble.runtime.functions;

/** One {@code console.*} call: its level ({@code log}, {@code info}, {@code debug}, {@code warn}, {@code error}, {@code trace}) and text. */
public record LogLine(String level, String message) {
}
