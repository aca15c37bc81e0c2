'use strict';
module.exports = require('./unavailable.js')('net', 'functions cannot open sockets; use context.http, http/https or an HTTP API',
  { isIP(s) { return require('./net-ip.js').isIP(s); }, isIPv4(s) { return require('./net-ip.js').isIP(s) === 4; }, isIPv6(s) { return require('./net-ip.js').isIP(s) === 6; } });
