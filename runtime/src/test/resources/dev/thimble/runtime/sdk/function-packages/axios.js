exports = async function(base) {
  const axios = require('axios');
  const got = await axios.get(base + '/echo?x=1', { headers: { 'X-Test': 'from axios' } });
  const posted = await axios.post(base + '/echo', { item: 'tea', n: 2 });
  const gz = await axios.get(base + '/gzip');
  let missing;
  try { await axios.get(base + '/missing'); } catch (e) { missing = [e.name, e.response.status, e.response.data]; }
  let refused;
  try { await axios.get('http://127.0.0.1:1/nothing-listens-here'); } catch (e) { refused = e.code; }
  const client = axios.create({ baseURL: base, params: { token: 'abc' } });
  const instance = await client.get('/echo');
  return { get: got.data, status: got.status, posted: posted.data, gzip: gz.data, missing, refused, instance: instance.data.query };
};
