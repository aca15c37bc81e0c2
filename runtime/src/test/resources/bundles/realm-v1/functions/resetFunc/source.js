exports = ({ token, tokenId, username, password }) => {
  return { status: "pending" };
};
