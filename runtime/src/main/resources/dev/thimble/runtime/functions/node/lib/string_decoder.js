'use strict';
// Node's string_decoder: the npm "string_decoder" package (MIT, vendored).
module.exports = require('string_decoder/');
