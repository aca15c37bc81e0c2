'use strict';
// Node's events module: the npm "events" package (MIT, vendored).
module.exports = require('events/');
