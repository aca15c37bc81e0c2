'use strict';
// Node's https client: the http built-in over https:// URLs (TLS is the host's HTTP client's).
const http = require('http');
class Agent extends http.Agent {
  constructor(options) { super(options); this.defaultPort = 443; this.protocol = 'https:'; }
}
const https = http.client('https:', new Agent());
https.Agent = Agent;
delete https.client;
module.exports = https;
