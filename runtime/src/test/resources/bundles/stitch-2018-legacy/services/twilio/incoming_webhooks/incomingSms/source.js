exports = function(payload) {
  console.log(payload.From, payload.Body);
};
