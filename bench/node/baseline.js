'use strict';
// The baseline of `bench/run functions`: what a user would write by hand instead of a Thimble function —
// Node 20 + Express + the official MongoDB driver, speaking the same request and answer as the client API's
// functions/call (canonical Extended JSON), verifying the same HS256 access token, and doing the same work:
// sum; a findOne of the caller's own item (the owner rule written by hand); a CPU-heavy function; and the SDK's
// own findOne and insertOne on todo.items (service mongodb-atlas) under the same owner rule.
// Environment: MONGO_URI, SIGNING_KEY_HEX, APP_ID. Prints "PORT <n>" when it listens.
const crypto = require('crypto');
const express = require('express');
const { MongoClient, ObjectId, BSON } = require('mongodb');
const { EJSON } = BSON;

const key = Buffer.from(process.env.SIGNING_KEY_HEX, 'hex');

/** The caller's user id from a valid, unexpired HS256 access token; null otherwise. */
function userId(header) {
  const token = (header || '').startsWith('Bearer ') ? header.slice(7) : '';
  const [h, p, s] = token.split('.');
  if (!s) return null;
  const expected = crypto.createHmac('sha256', key).update(h + '.' + p).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  if (claims.exp && claims.exp * 1000 < Date.now()) return null;
  return claims.sub;
}

/** Business code of the kind functions hold: objects, sorting, strings, arithmetic (same source as Thimble's). */
function cpu(n) {
  const rows = [];
  for (let i = 0; i < n; i++) rows.push({ id: i, name: 'item-' + ((i * 7919) % n), price: ((i * 31) % 997) / 10 });
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
  let total = 0;
  for (const r of rows) total += r.price * (r.id % 3);
  const text = JSON.stringify(rows.slice(0, 200));
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return Math.round(total) + (Math.abs(h) % 1000);
}

async function main() {
  const client = new MongoClient(process.env.MONGO_URI, { maxPoolSize: 16 });
  await client.connect();
  const items = client.db('todo').collection('items');
  const functions = {
    sum: async (uid, a, b) => a + b,
    findItem: async (uid, id) => items.findOne({ _id: id, owner_id: uid }),
    cpu: async (uid, n) => cpu(n),
  };
  // The SDK's collection calls (service mongodb-atlas), with todo.items' owner rule written by hand:
  // findOne sees only the caller's items; insertOne stores only a document the caller owns.
  async function atlas(uid, call) {
    const [args] = call.arguments;
    const collection = client.db(args.database).collection(args.collection);
    if (call.name === 'findOne') return (await collection.findOne({ $and: [args.query || {}, { owner_id: uid }] })) ?? null;
    if (call.name === 'insertOne') {
      if (!args.document || args.document.owner_id !== uid) throw new Error('insert not permitted');
      const result = await collection.insertOne(args.document);
      return { insertedId: result.insertedId };
    }
    throw new Error('unsupported action ' + call.name);
  }
  const app = express();
  app.use(express.text({ type: '*/*', limit: '1mb' }));
  app.post('/api/client/v2.0/app/:app/functions/call', async (req, res) => {
    const uid = userId(req.get('authorization'));
    if (!uid) return res.status(401).json({ error: 'invalid session', error_code: 'InvalidSession' });
    try {
      const call = EJSON.parse(req.body, { relaxed: true });
      if (call.service === 'mongodb-atlas') return res.type('application/json').send(EJSON.stringify(await atlas(uid, call), { relaxed: false }));
      const fn = functions[call.name];
      if (!fn) return res.status(404).json({ error: 'function not found', error_code: 'FunctionNotFound' });
      const result = await fn(uid, ...call.arguments);
      res.type('application/json').send(EJSON.stringify(result === undefined ? null : result, { relaxed: false }));
    } catch (e) {
      res.status(400).json({ error: String(e), error_code: 'FunctionExecutionError' });
    }
  });
  const server = app.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
  server.keepAliveTimeout = 60000;
}
main().catch((e) => { console.error(e); process.exit(1); });
