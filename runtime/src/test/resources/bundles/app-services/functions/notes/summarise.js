exports = async (notes) => notes.map((n) => n.title).join(", ");
