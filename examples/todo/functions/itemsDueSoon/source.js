// Returns the caller's open items due within the next `days` days (default 7).
exports = async function(days) {
  const horizon = new Date(Date.now() + (days || 7) * 24 * 60 * 60 * 1000);
  const items = context.services.get("mongodb-atlas").db("todo").collection("items");
  return items.find({ done: false, due: { $lte: horizon } }).toArray();
};
