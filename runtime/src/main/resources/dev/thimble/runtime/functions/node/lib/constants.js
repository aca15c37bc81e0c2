'use strict';
module.exports = Object.assign({}, require('os').constants.errno, require('os').constants.signals, require('fs').constants);
