/**
 * The vocabulary of rule and filter expressions ({@code %%user}, {@code %function}, the operators)
 * and the walker that finds every expression in a rule document: a leaf, so both the bundle validator
 * ({@code app}) and the rules engine ({@code rules}) can use it without depending on each other.
 */
package dev.thimble.runtime.expressions;
