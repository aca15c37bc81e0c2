exports = function() {
  const uuid = require('uuid');
  const { nanoid } = require('nanoid');
  return { v4: uuid.validate(uuid.v4()), v5: uuid.v5('hello', uuid.v5.DNS), nanoid: nanoid().length };
};
