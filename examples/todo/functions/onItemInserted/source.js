// Database trigger: keeps each list's open-item count current.
exports = async function(changeEvent) {
  const item = changeEvent.fullDocument;
  const lists = context.services.get("mongodb-atlas").db("todo").collection("lists");
  await lists.updateOne({ _id: item.list_id }, { $inc: { open_items: 1 } });
  console.log(`list ${item.list_id}: one more open item`);
};
