'use strict';
module.exports = require('./unavailable.js')('http2', 'functions reach HTTP servers through http/https (HTTP/1.1 and HTTP/2 negotiated by the host)', { constants: {} });
