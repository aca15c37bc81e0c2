exports = function(privatePem, publicPem) {
  const jwt = require('jsonwebtoken');
  const token = jwt.sign({ sub: 'u1', role: 'admin' }, 'shhh', { noTimestamp: true });
  const rs = jwt.sign({ sub: 'u2' }, privatePem, { algorithm: 'RS256', expiresIn: '1h' });
  let expired;
  try { jwt.verify(jwt.sign({ sub: 'x', exp: 1 }, 'shhh'), 'shhh'); } catch (e) { expired = e.name + ': ' + e.message; }
  let wrongKey;
  try { jwt.verify(token, 'other'); } catch (e) { wrongKey = e.message; }
  return { token, role: jwt.verify(token, 'shhh').role, rsSub: jwt.verify(rs, publicPem, { algorithms: ['RS256'] }).sub,
    decoded: jwt.decode(token, { complete: true }).header, expired, wrongKey };
};
