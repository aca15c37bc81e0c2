// 16-client closed-loop load on a running `thimble serve` (loopback only): SDK findOne / insertOne / a function call.
// usage: node perf-load.js <baseUrl> <appId> <seconds> [operations]
// With operations: the run ends after that many (the same work whatever the machine's load; seconds is then a cap).
const [base, appId, seconds, target] = process.argv.slice(2);
const limit = target ? Number(target) : Infinity;
const api = `${base}/api/client/v2.0/app/${appId}`;
async function main() {
  const login = await (await fetch(`${api}/auth/providers/anon-user/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
  if (!login.access_token) throw new Error('login: ' + JSON.stringify(login));
  const auth = { authorization: 'Bearer ' + login.access_token, 'content-type': 'application/json' };
  const uid = login.user_id;
  const ids = [];
  for (let i = 0; i < 200; i++) {
    const r = await (await fetch(`${api}/functions/call`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'insertOne', service: 'mongodb-atlas', arguments: [{ database: 'todo', collection: 'items', document: { owner_id: uid, text: 'item ' + i, done: false } }] }) })).json();
    ids.push(r.insertedId.$oid);
  }
  const started = Date.now();
  const end = started + Number(seconds) * 1000;
  let ops = 0, errors = 0;
  async function client(c) {
    while (Date.now() < end && ops < limit) {
      const kind = ops % 3;
      const body = kind === 0 ? { name: 'findOne', service: 'mongodb-atlas', arguments: [{ database: 'todo', collection: 'items', query: { _id: { $oid: ids[ops % ids.length] } } }] }
        : kind === 1 ? { name: 'insertOne', service: 'mongodb-atlas', arguments: [{ database: 'todo', collection: 'items', document: { owner_id: uid, text: 'load', done: false } }] }
        : { name: 'count', service: 'mongodb-atlas', arguments: [{ database: 'todo', collection: 'items', query: { done: false } }] };
      const r = await fetch(`${api}/functions/call`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
      await r.text();
      if (r.status !== 200) errors++;
      ops++;
    }
  }
  await Promise.all(Array.from({ length: 16 }, (_, c) => client(c)));
  const took = (Date.now() - started) / 1000;
  console.log(`ops ${ops} errors ${errors} ops/s ${(ops / took).toFixed(0)} seconds ${took.toFixed(1)}`);
}
main().catch((e) => { console.error(e); process.exit(1); });
