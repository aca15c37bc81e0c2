exports = (value) => `[${value}]`;
