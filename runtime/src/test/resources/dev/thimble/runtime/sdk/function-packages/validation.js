exports = function(input) {
  const Joi = require('joi');
  const validator = require('validator');
  const schema = Joi.object({ name: Joi.string().min(3).required(), age: Joi.number().integer().min(0), email: Joi.string().email() });
  const result = schema.validate(input, { abortEarly: false });
  return { error: result.error ? result.error.details.map((d) => d.message) : null, value: result.value,
    isEmail: validator.isEmail(String(input.email || '')), slug: require('slugify')(String(input.name), { lower: true }) };
};
