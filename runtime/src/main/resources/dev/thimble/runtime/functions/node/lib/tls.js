'use strict';
module.exports = require('./unavailable.js')('tls', 'functions cannot open sockets; https requests go through the https module', { DEFAULT_ECDH_CURVE: 'auto', rootCertificates: [] });
