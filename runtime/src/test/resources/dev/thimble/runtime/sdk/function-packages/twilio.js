exports = async function(base) {
  const twilio = require('twilio');
  const client = twilio('AC00000000000000000000000000000001', 'auth-token');
  client.api.baseUrl = base; // the loopback stand-in for api.twilio.com
  const message = await client.messages.create({ to: '+15550002', from: '+15550001', body: 'hello from a function' });
  return { sid: message.sid, status: message.status, to: message.to };
};
