exports = async function () {
  return context.services.get("mongodb-atlas").db("todo").collection("Item").count({});
};
