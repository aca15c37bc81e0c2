// mongodb-stitch-server-sdk 4.9.0, unmodified: watch(ids), watch(filter) and watchCompact(ids) over
// stitch_validate + EventSource, under the example app's rules (todo.items: owner only). The writes
// come from other clients (realm-web, same user) and from another user.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import stitch from 'mongodb-stitch-server-sdk';
import * as Realm from 'realm-web';
import { BASE_URL, APP_ID, ACCESS_TOKEN_SECONDS, freshEmail, sleep } from './env.mjs';

const { Stitch, StitchAppClientConfiguration, MemoryStorage, UserPasswordCredential, RemoteMongoClient, BSON } = stitch;

const openClients = [];
const openStreams = [];
afterEach(() => {
  openStreams.splice(0).forEach((stream) => stream.close());
  openClients.splice(0).forEach((client) => client.close());
  Stitch.clearApps();
});

const realmItems = (user) => user.mongoClient('mongodb-atlas').db('todo').collection('items');

/** A Stitch client and a realm-web client logged in as the same user, plus another user on realm-web. */
async function clients() {
  const email = freshEmail('stitch-watch');
  const password = 'password123';
  const realmApp = () => new Realm.App({ id: APP_ID, baseUrl: BASE_URL });
  await realmApp().emailPasswordAuth.registerUser({ email, password });
  const writer = await realmApp().logIn(Realm.Credentials.emailPassword(email, password));
  const other = await realmApp().logIn(Realm.Credentials.anonymous(false));
  Stitch.clearApps();
  const client = Stitch.initializeAppClient(APP_ID,
    new StitchAppClientConfiguration.Builder().withBaseUrl(BASE_URL).withStorage(new MemoryStorage()).build());
  openClients.push(client);
  await client.auth.loginWithCredential(new UserPasswordCredential(email, password));
  assert.equal(client.auth.user.id, writer.id);
  const coll = client.getServiceClient(RemoteMongoClient.factory, 'mongodb-atlas').db('todo').collection('items');
  return { client, coll, userId: writer.id, writer: realmItems(writer), other: realmItems(other), otherId: other.id };
}

/** Collects a Stitch stream's events; next() waits for the following one. */
function collect(stream) {
  openStreams.push(stream);
  const queue = [];
  const waiters = [];
  stream.onNext((event) => (waiters.length ? waiters.shift()(event) : queue.push(event)));
  return {
    next(ms = 5000) {
      if (queue.length) {
        return Promise.resolve(queue.shift());
      }
      return Promise.race([new Promise((resolve) => waiters.push(resolve)),
        sleep(ms).then(() => { throw new Error(`no change event within ${ms} ms`); })]);
    },
    pending: () => queue.length,
  };
}

test('stitch: watch(ids) streams the changes another client makes, and none the rules hide', async () => {
  const { coll, userId, writer, other, otherId } = await clients();
  const mine = new BSON.ObjectId();
  const hidden = new BSON.ObjectId();
  const events = collect(await coll.watch([mine, hidden])); // resolves once the EventSource is open

  await other.insertOne({ _id: hidden, owner_id: otherId, text: 'not yours', done: false });
  await writer.insertOne({ _id: mine, owner_id: userId, text: '100% {"json"}\r\n', done: false });
  await writer.insertOne({ owner_id: userId, text: 'not watched', done: false });
  const insert = await events.next();
  assert.equal(insert.operationType, 'insert');
  assert.equal(insert.namespace.database, 'todo');
  assert.equal(insert.namespace.collection, 'items');
  assert.ok(insert.documentKey._id.equals(mine));
  assert.equal(insert.fullDocument.text, '100% {"json"}\r\n');
  assert.ok(insert.id, 'the event carries its resume token');

  await other.updateOne({ _id: hidden }, { $set: { done: true } });
  await writer.updateOne({ _id: mine }, { $set: { done: true } });
  const update = await events.next();
  assert.equal(update.operationType, 'update');
  assert.deepEqual(update.updateDescription.updatedFields, { done: true });
  assert.deepEqual(update.updateDescription.removedFields, []);
  assert.equal(update.fullDocument.done, true);

  await other.deleteOne({ _id: hidden });
  await writer.deleteOne({ _id: mine });
  const deleted = await events.next();
  assert.equal(deleted.operationType, 'delete', "the other user's changes never arrived");
  assert.ok(deleted.documentKey._id.equals(mine));
  await sleep(300);
  assert.equal(events.pending(), 0);
});

test('stitch: watchCompact(ids) sends compact events; watch(filter) matches on the change event', async () => {
  const { coll, userId, writer } = await clients();
  const id = new BSON.ObjectId();
  const compact = collect(await coll.watchCompact([id]));
  const filtered = collect(await coll.watch({ operationType: 'update', 'fullDocument.done': true }));

  await writer.insertOne({ _id: id, owner_id: userId, text: 'compact', done: false });
  await writer.updateOne({ _id: id }, { $set: { done: true } });
  await writer.deleteOne({ _id: id });

  const inserted = await compact.next();
  assert.equal(inserted.operationType, 'insert');
  assert.ok(inserted.documentKey._id.equals(id));
  assert.equal(inserted.fullDocument.text, 'compact');
  const updated = await compact.next();
  assert.equal(updated.operationType, 'update');
  assert.deepEqual(updated.updateDescription.updatedFields, { done: true });
  assert.equal(updated.fullDocument, undefined, 'compact updates carry only the description');
  const deleted = await compact.next();
  assert.equal(deleted.operationType, 'delete');

  const match = await filtered.next();
  assert.equal(match.operationType, 'update');
  assert.ok(match.documentKey._id.equals(id));
  await sleep(300);
  assert.equal(filtered.pending(), 0, 'the insert and the delete did not match the filter');
});

test('stitch: with an expired access token the SDK refreshes on InvalidSession and the watch opens', async () => {
  const { client, coll, userId, writer } = await clients();
  const before = client.auth.user.id;
  await sleep((ACCESS_TOKEN_SECONDS + 1) * 1000);
  const id = new BSON.ObjectId();
  const events = collect(await coll.watch([id]));
  assert.equal(client.auth.user.id, before, 'still logged in');
  await writer.insertOne({ _id: id, owner_id: userId, text: 'after refresh', done: false });
  assert.ok((await events.next()).documentKey._id.equals(id));
});
