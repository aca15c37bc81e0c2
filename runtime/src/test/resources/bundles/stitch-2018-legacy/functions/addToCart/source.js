exports = async function(productId, qty) {
  const carts = context.services.get("mongodb-atlas").db("todo").collection("carts");
  return carts.updateOne({ owner_id: context.user.id }, { $push: { items: { productId, qty } } }, { upsert: true });
};
