'use strict';
// The npm "punycode" package (MIT, vendored), as App Services served it.
module.exports = require('punycode/');
