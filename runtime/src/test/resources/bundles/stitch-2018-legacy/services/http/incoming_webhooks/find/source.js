exports = function(payload, response) {
  const query = JSON.parse(payload.body.text());
  return context.services.get("mongodb-atlas").db("todo").collection("items").find(query).toArray();
};
