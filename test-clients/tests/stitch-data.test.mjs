// mongodb-stitch-server-sdk 4.9.0, unmodified: callFunction and RemoteMongoClient under the example app's rules.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import stitch from 'mongodb-stitch-server-sdk';
import { BASE_URL, APP_ID, ACCESS_TOKEN_SECONDS, sleep } from './env.mjs';

const { Stitch, StitchAppClientConfiguration, MemoryStorage, AnonymousCredential, RemoteMongoClient, BSON, StitchServiceError } = stitch;

const openClients = [];
async function loggedIn() {
  // One client per app id may exist at a time in this SDK: clear before each new one.
  Stitch.clearApps();
  const client = Stitch.initializeAppClient(APP_ID,
    new StitchAppClientConfiguration.Builder().withBaseUrl(BASE_URL).withStorage(new MemoryStorage()).build());
  openClients.push(client);
  await client.auth.loginWithCredential(new AnonymousCredential());
  return client;
}
const items = (client) => client.getServiceClient(RemoteMongoClient.factory, 'mongodb-atlas').db('todo').collection('items');

afterEach(() => {
  openClients.splice(0).forEach((client) => client.close());
  Stitch.clearApps();
});

test('stitch: callFunction runs a user function and Extended JSON types survive the trip', async () => {
  const client = await loggedIn();
  const listId = new BSON.ObjectId();
  const item = await client.callFunction('addItem', [listId, 'bread', new Date('2030-01-02T03:04:05Z')]);
  assert.equal(item.text, 'bread');
  assert.equal(item.owner_id, client.auth.user.id);
  assert.ok(item.list_id.equals(listId));
  assert.equal(item.due.toISOString(), '2030-01-02T03:04:05.000Z');
});

test('stitch: a function error is a StitchServiceError with the function message', async () => {
  const client = await loggedIn();
  await assert.rejects(client.callFunction('addItem', [new BSON.ObjectId(), '']), (error) => {
    assert.ok(error instanceof StitchServiceError);
    assert.match(error.message, /An item needs some text/);
    return true;
  });
});

test('stitch: RemoteMongoClient reads and writes only the caller\'s items', async () => {
  const first = await loggedIn();
  const firstId = first.auth.user.id;
  await items(first).insertOne({ owner_id: firstId, text: 'mine', done: false });
  const second = await loggedIn();
  const coll = items(second);
  const { insertedId } = await coll.insertOne({ owner_id: second.auth.user.id, text: 'theirs', done: false });
  assert.ok(insertedId instanceof BSON.ObjectId, 'Stitch sends its own _id');
  assert.deepEqual((await coll.find({}).toArray()).map((d) => d.text), ['theirs']);
  assert.equal(await coll.count({}), 1);
  assert.equal((await coll.updateOne({}, { $set: { done: true } })).modifiedCount, 1);
  assert.deepEqual((await coll.aggregate([{ $match: {} }, { $project: { _id: 0, text: 1 } }]).toArray()), [{ text: 'theirs' }]);
  assert.equal((await coll.deleteMany({})).deletedCount, 1);
  await assert.rejects(coll.insertOne({ owner_id: firstId, text: 'planted', done: false }));
});

test('stitch: after the access token expires, the SDK refreshes it and the call succeeds', async () => {
  const client = await loggedIn();
  await sleep((ACCESS_TOKEN_SECONDS + 1) * 1000);
  const due = await client.callFunction('itemsDueSoon', [7]);
  assert.deepEqual(due, []);
});
