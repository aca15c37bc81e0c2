/**
 * The rules editor: a collection rule opens in the rule designer (roles, expression builder, field
 * grid, JSON kept in sync) with its simulator on the running server's live data; a save writes the
 * rule file like any editor's save.
 */
package dev.thimble.workbench.editors.rules;
