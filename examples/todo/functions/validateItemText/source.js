// Trims an item's text and enforces the app's length limit (the value "maxItemLength").
exports = function(text) {
  if (typeof text !== "string" || text.trim().length === 0) {
    throw new Error("An item needs some text.");
  }
  const max = context.values.get("maxItemLength");
  const clean = text.trim();
  if (clean.length > max) {
    throw new Error(`An item may have at most ${max} characters (this one has ${clean.length}).`);
  }
  return clean;
};
