// Authentication trigger (CREATE): gives every new email/password user a profile,
// which is also their custom user data (stitch.json custom_user_data_config).
exports = async function(authEvent) {
  const user = authEvent.user;
  const users = context.services.get("mongodb-atlas").db("todo").collection("users");
  await users.insertOne({
    user_id: user.id,
    email: user.data.email,
    display_name: user.data.email.split("@")[0],
    created: authEvent.time
  });
};
