package dev.thimble.runtime.rules;

import dev.thimble.runtime.rules.Operators.Root;

import java.util.EnumSet;

/** What a compiled expression reads: which expansion roots, and whether it calls a function. */
final class Dependencies {
    final EnumSet<Root> roots = EnumSet.noneOf(Root.class);
    boolean function;
}
