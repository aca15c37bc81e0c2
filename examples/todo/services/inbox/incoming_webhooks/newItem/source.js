// Incoming webhook: a mail-to-todo gateway posts {"email": ..., "list": ..., "text": ...}
// to add an item to that user's list. Guarded by ?secret=<inboxWebhookSecret>.
exports = async function(payload, response) {
  let body;
  try {
    body = JSON.parse(payload.body.text());
  } catch (e) {
    response.setStatusCode(400);
    return { error: `the body must be JSON {"email", "list", "text"}: ${e.message}` };
  }
  const ownerId = await context.functions.execute("userIdForEmail", body.email);
  if (!ownerId) {
    response.setStatusCode(404);
    return { error: `unknown user ${body.email}` };
  }
  const text = await context.functions.execute("validateItemText", body.text);
  const items = context.services.get("mongodb-atlas").db("todo").collection("items");
  const result = await items.insertOne({
    owner_id: ownerId, list_id: body.list, text: text, done: false, created: new Date()
  });
  response.setStatusCode(201);
  return { _id: result.insertedId };
};
