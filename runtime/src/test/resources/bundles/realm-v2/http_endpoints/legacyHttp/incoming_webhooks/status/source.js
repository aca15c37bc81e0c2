exports = function(payload, response) {
  response.setStatusCode(200);
  return { ok: true };
};
