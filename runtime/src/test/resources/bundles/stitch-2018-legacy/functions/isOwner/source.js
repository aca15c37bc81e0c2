var exports = function(doc, userId) {
  return doc.owner_id === userId;
};
if (typeof module === 'object') module.exports = exports;
