/**
 * Getting somewhere by keyboard: Ctrl+P goes to any item of the app by a fuzzy match of its name or
 * file, Ctrl+Shift+F searches every source and config file of the bundle and opens a hit at its line.
 * Both show in one small picker overlay ({@link dev.thimble.workbench.navigation.PickerView}).
 */
package dev.thimble.workbench.navigation;
