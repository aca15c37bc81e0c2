exports = function(name) {
  try { require(name); return 'loaded'; } catch (e) { return e.code + ': ' + e.message; }
};
