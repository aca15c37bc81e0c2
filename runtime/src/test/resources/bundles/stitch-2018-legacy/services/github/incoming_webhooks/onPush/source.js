exports = function(payload) {
  return payload.commits.length;
};
