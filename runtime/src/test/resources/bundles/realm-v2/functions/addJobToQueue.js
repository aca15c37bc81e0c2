exports = async function(job) {
  return context.services.get("mongodb-atlas").db("pool").collection("queue").insertOne(job);
};
