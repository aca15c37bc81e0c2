// Adds an item to one of the caller's lists. Runs as the calling user, so the
// rules on todo.items decide: the new item must be owned by the caller.
exports = async function(listId, text, due) {
  const cleanText = await context.functions.execute("validateItemText", text);
  const items = context.services.get("mongodb-atlas").db("todo").collection("items");
  const item = {
    owner_id: context.user.id,
    list_id: listId,
    text: cleanText,
    done: false,
    created: new Date()
  };
  if (due) {
    item.due = new Date(due);
  }
  const result = await items.insertOne(item);
  console.log(`added item ${result.insertedId} to list ${listId}`);
  return { _id: result.insertedId, ...item };
};
