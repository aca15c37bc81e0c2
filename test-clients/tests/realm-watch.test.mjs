// realm-web 2.0.1, unmodified: collection.watch() over the streaming functions/call route, under the
// example app's rules (todo.items: owner only). Writes come from other clients and another user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Realm from 'realm-web';
import { BASE_URL, APP_ID, ACCESS_TOKEN_SECONDS, freshEmail, sleep } from './env.mjs';

const { BSON } = Realm;
const newApp = () => new Realm.App({ id: APP_ID, baseUrl: BASE_URL });
const items = (user) => user.mongoClient('mongodb-atlas').db('todo').collection('items');

/** One user logged in from two independent clients, plus another (anonymous) user. */
async function clients() {
  const email = freshEmail('realm-watch');
  const password = 'password123';
  await newApp().emailPasswordAuth.registerUser({ email, password });
  const watcher = await newApp().logIn(Realm.Credentials.emailPassword(email, password));
  const writer = await newApp().logIn(Realm.Credentials.emailPassword(email, password));
  const other = await newApp().logIn(Realm.Credentials.anonymous(false));
  assert.equal(writer.id, watcher.id);
  assert.notEqual(other.id, watcher.id);
  return { watcher, writer, other };
}

const timeout = (ms, what) => sleep(ms).then(() => { throw new Error(`timed out after ${ms} ms waiting for ${what}`); });

/**
 * The events of a watch, minus the probes. The stream is primed first: a probe write is made until
 * its event arrives, so the server has surely subscribed before the test writes for real.
 * `isProbe(event)` tells the probes' events apart (more than one may arrive).
 */
async function primedWatch(iterator, writeProbe, isProbe) {
  let pending = iterator.next();
  for (let attempt = 0; ; attempt += 1) {
    assert.ok(attempt < 50, 'the watch stream never delivered a probe');
    await writeProbe();
    const first = await Promise.race([pending, sleep(200).then(() => null)]);
    if (first) {
      pending = iterator.next();
      break;
    }
  }
  return async function next(ms = 5000) {
    for (;;) {
      const { value, done } = await Promise.race([pending, timeout(ms, 'a change event')]);
      assert.ok(!done, 'the stream ended');
      pending = iterator.next();
      if (!isProbe(value)) {
        return value;
      }
    }
  };
}

/** Probes: documents with text "probe" inserted for the watcher. */
function insertProbes(writer, ownerId) {
  const ids = new Set();
  return {
    write: async () => {
      const { insertedId } = await items(writer).insertOne({ owner_id: ownerId, text: 'probe', done: false });
      ids.add(insertedId.toHexString());
    },
    isProbe: (event) => ids.has(event.documentKey._id.toHexString()),
  };
}

/** Probes: updates that only increment a "probe" counter of a document. */
function counterProbes(writer, id) {
  return {
    write: () => items(writer).updateOne({ _id: id }, { $inc: { probe: 1 } }),
    isProbe: (event) => event.operationType === 'update'
      && Object.keys(event.updateDescription.updatedFields).join() === 'probe',
  };
}

test('realm: watch() streams the inserts, updates and deletes of another client, and none the rules hide', async () => {
  const { watcher, writer, other } = await clients();
  const stream = items(watcher).watch();
  try {
    const probes = insertProbes(writer, watcher.id);
    const next = await primedWatch(stream, probes.write, probes.isProbe);
    await watchedWrites(watcher, writer, other, next);
  } finally {
    await stream.return();
  }
});

async function watchedWrites(watcher, writer, other, next) {
  const { insertedId: hidden } = await items(other).insertOne({ owner_id: other.id, text: 'not yours', done: false });
  const { insertedId: mine } = await items(writer).insertOne({ owner_id: watcher.id, text: '50% off\nmilk', done: false });
  const insert = await next();
  assert.equal(insert.operationType, 'insert');
  assert.deepEqual(insert.ns, { db: 'todo', coll: 'items' });
  assert.ok(insert.documentKey._id.equals(mine));
  assert.equal(insert.fullDocument.text, '50% off\nmilk');
  assert.equal(insert.fullDocument.owner_id, watcher.id);
  assert.ok(insert._id._data, 'the event carries its resume token');
  assert.equal(insert.fullDocumentBeforeChange, undefined, 'pre-images are not sent to clients');

  await items(other).updateOne({ _id: hidden }, { $set: { done: true } });
  await items(writer).updateOne({ _id: mine }, { $set: { done: true }, $unset: { text: '' } }).catch(() => null);
  await items(writer).updateOne({ _id: mine }, { $set: { done: true, due: new Date('2030-01-02T03:04:05Z') } });
  const update = await next();
  assert.equal(update.operationType, 'update');
  assert.ok(update.documentKey._id.equals(mine));
  assert.deepEqual(Object.keys(update.updateDescription.updatedFields).sort(), ['done', 'due']);
  assert.equal(update.updateDescription.updatedFields.due.toISOString(), '2030-01-02T03:04:05.000Z');
  assert.deepEqual(update.updateDescription.removedFields, []);
  assert.equal(update.fullDocument.done, true, 'an update carries the document after it');

  await items(other).deleteOne({ _id: hidden });
  await items(writer).deleteOne({ _id: mine });
  const deleted = await next();
  assert.equal(deleted.operationType, 'delete', "the other user's update and delete never arrived");
  assert.ok(deleted.documentKey._id.equals(mine));
  assert.equal(deleted.fullDocument, undefined);
}

test('realm: watch({ids}) and watch({filter}) narrow the stream', async () => {
  const { watcher, writer } = await clients();
  const watched = new BSON.ObjectId();
  await items(writer).insertOne({ _id: watched, owner_id: watcher.id, text: 'watched', done: false });
  const probe = new BSON.ObjectId();
  await items(writer).insertOne({ _id: probe, owner_id: watcher.id, text: 'probe', done: true });
  const byId = items(watcher).watch({ ids: [watched] });
  const byFilter = items(watcher).watch({ filter: { operationType: 'update', 'fullDocument.done': true } });
  try {
    const idProbes = counterProbes(writer, watched);
    const nextById = await primedWatch(byId, idProbes.write, idProbes.isProbe);
    const filterProbes = counterProbes(writer, probe);
    const nextFiltered = await primedWatch(byFilter, filterProbes.write,
      (event) => filterProbes.isProbe(event) || idProbes.isProbe(event));

    await items(writer).insertOne({ owner_id: watcher.id, text: 'other', done: true });
    await items(writer).updateOne({ _id: watched }, { $set: { done: true } });
    const byIdEvent = await nextById();
    assert.equal(byIdEvent.operationType, 'update', 'the insert of another document was not sent');
    assert.ok(byIdEvent.documentKey._id.equals(watched));
    assert.deepEqual(byIdEvent.updateDescription.updatedFields, { done: true });
    const filtered = await nextFiltered();
    assert.equal(filtered.operationType, 'update', 'the insert did not match the filter');
    assert.ok(filtered.documentKey._id.equals(watched));
  } finally {
    await byId.return();
    await byFilter.return();
  }
});

test('realm: a missing or expired token is refused with the InvalidSession JSON error; the SDK refreshes and watches', async () => {
  const { watcher, writer } = await clients();
  const request = Buffer.from(JSON.stringify({ name: 'watch', service: 'mongodb-atlas',
    arguments: [{ database: 'todo', collection: 'items' }] })).toString('base64');
  const url = `${BASE_URL}/api/client/v2.0/app/${APP_ID}/functions/call?baas_request=${encodeURIComponent(request)}`;

  const missing = await fetch(url, { headers: { Accept: 'text/event-stream' } });
  assert.equal(missing.status, 401);
  assert.equal(missing.headers.get('content-type'), 'application/json');
  assert.equal((await missing.json()).error_code, 'InvalidSession');

  const oldToken = watcher.accessToken;
  await sleep((ACCESS_TOKEN_SECONDS + 1) * 1000);
  const expired = await fetch(url, { headers: { Accept: 'text/event-stream', Authorization: `Bearer ${oldToken}` } });
  assert.equal(expired.status, 401);
  assert.equal(expired.headers.get('content-type'), 'application/json');
  assert.equal((await expired.json()).error_code, 'InvalidSession');

  // The SDK gets the same 401, refreshes its access token and opens the stream.
  const stream = items(watcher).watch();
  try {
    const probes = insertProbes(writer, watcher.id);
    const next = await primedWatch(stream, probes.write, probes.isProbe);
    assert.notEqual(watcher.accessToken, oldToken, 'the SDK refreshed its token');
    const { insertedId } = await items(writer).insertOne({ owner_id: watcher.id, text: 'after refresh', done: false });
    const event = await next();
    assert.ok(event.documentKey._id.equals(insertedId));
  } finally {
    await stream.return();
  }
});
