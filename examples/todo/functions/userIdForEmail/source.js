// Private, runs as system: maps an email to a user id without exposing the profile.
exports = async function(email) {
  const users = context.services.get("mongodb-atlas").db("todo").collection("users");
  const user = await users.findOne({ email: email });
  return user ? user.user_id : null;
};
