'use strict';
module.exports = require('./unavailable.js')('dns', 'functions cannot query DNS; the host resolves names for http/https requests');
