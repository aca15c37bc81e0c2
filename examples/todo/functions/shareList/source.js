// Shares one of the caller's lists with another user, found by email.
// Members may read only their own profile in todo.users, so the lookup goes
// through userIdForEmail, a private function that runs as system and returns
// nothing but the id.
exports = async function(listId, email) {
  const otherId = await context.functions.execute("userIdForEmail", email);
  if (!otherId) {
    return { shared: false, reason: `No todo user has the email ${email}.` };
  }
  const lists = context.services.get("mongodb-atlas").db("todo").collection("lists");
  const result = await lists.updateOne(
    { _id: listId, owner_id: context.user.id },
    { $addToSet: { shared_with: otherId } }
  );
  return { shared: result.matchedCount === 1 };
};
