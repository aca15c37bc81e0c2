'use strict';
// Node's buffer module: the npm "buffer" package (MIT, vendored under node_modules/buffer), which also
// keeps the deprecated `new Buffer(...)` constructor real code still calls.
const buffer = require('buffer/');
module.exports = buffer;
if (!buffer.constants) buffer.constants = { MAX_LENGTH: buffer.kMaxLength, MAX_STRING_LENGTH: (1 << 29) - 24 };
