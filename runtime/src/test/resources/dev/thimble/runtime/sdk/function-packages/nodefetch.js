exports = async function(base) {
  const fetch = require('node-fetch');
  const r = await fetch(base + '/echo', { method: 'PUT', body: JSON.stringify({ a: 1 }), headers: { 'Content-Type': 'application/json' } });
  const gz = await fetch(base + '/gzip');
  return { status: r.status, ok: r.ok, body: await r.json(), type: r.headers.get('content-type'), gzip: await gz.json() };
};
