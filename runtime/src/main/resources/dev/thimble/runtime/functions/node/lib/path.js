'use strict';
// Node's path (POSIX): the npm "path-browserify" package (MIT, vendored); the working directory is "/".
const path = require('path-browserify');
if (!path.posix) path.posix = path;
module.exports = path;
