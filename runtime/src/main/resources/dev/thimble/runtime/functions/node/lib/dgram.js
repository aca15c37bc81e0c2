'use strict';
module.exports = require('./unavailable.js')('dgram', 'functions cannot open sockets');
