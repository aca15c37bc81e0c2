// realm-web 2.0.1, unmodified: functions/call for user functions and all 13 MongoDB actions under the
// example app's rules (todo.items: owner only, with a filter and a schema).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Realm from 'realm-web';
import { BASE_URL, APP_ID } from './env.mjs';

const { BSON } = Realm;
const login = async () => new Realm.App({ id: APP_ID, baseUrl: BASE_URL }).logIn(Realm.Credentials.anonymous(false));
const items = (user) => user.mongoClient('mongodb-atlas').db('todo').collection('items');

test('realm: a function runs as the caller, calls a private function and a value, and writes under the rules', async () => {
  const user = await login();
  const listId = new BSON.ObjectId();
  const item = await user.functions.addItem(listId, '  milk  ');
  assert.equal(item.text, 'milk');
  assert.equal(item.owner_id, user.id);
  assert.ok(item._id instanceof BSON.ObjectId);
  assert.ok(item.list_id instanceof BSON.ObjectId && item.list_id.equals(listId));
  assert.ok(item.created instanceof Date);
  const mine = await items(user).find({ list_id: listId });
  assert.deepEqual(mine.map((d) => d.text), ['milk']);
});

test('realm: a thrown error reaches the client as FunctionExecutionError with its message', async () => {
  const user = await login();
  await assert.rejects(user.functions.addItem(new BSON.ObjectId(), '   '), (error) => {
    assert.equal(error.errorCode, 'FunctionExecutionError');
    assert.match(error.error, /An item needs some text\./);
    return true;
  });
  const tooLong = 'x'.repeat(201);
  await assert.rejects(user.functions.addItem(new BSON.ObjectId(), tooLong), /at most 200 characters/);
});

test('realm: private and unknown functions are refused with the codes the SDK knows', async () => {
  const user = await login();
  await assert.rejects(user.functions.validateItemText('x'), (error) => {
    assert.equal(error.errorCode, 'FunctionNotCallable');
    return true;
  });
  await assert.rejects(user.functions.noSuchFunction(), (error) => {
    assert.equal(error.errorCode, 'FunctionNotFound');
    return true;
  });
});

test('realm: the 13 MongoDB actions, each seeing only what the rules allow', async () => {
  const alice = await login();
  const bob = await login();
  const coll = items(alice);

  const { insertedId } = await coll.insertOne({ owner_id: alice.id, text: 'a1', done: false });
  assert.ok(insertedId instanceof BSON.ObjectId, 'the server generates _id for realm-web');
  const many = await coll.insertMany([{ owner_id: alice.id, text: 'a2', done: false }, { owner_id: alice.id, text: 'a3', done: true }]);
  assert.equal(many.insertedIds.length, 2);
  await items(bob).insertOne({ owner_id: bob.id, text: 'b1', done: false });

  assert.deepEqual((await coll.find({}, { sort: { text: 1 } })).map((d) => d.text), ['a1', 'a2', 'a3']);
  assert.deepEqual((await coll.find({}, { sort: { text: 1 }, limit: 2, projection: { text: 1 } })).map((d) => Object.keys(d).sort()),
    [['_id', 'text'], ['_id', 'text']]);
  assert.equal((await coll.findOne({ text: 'a2' })).text, 'a2');
  assert.equal(await coll.findOne({ text: 'b1' }), null, "bob's item is invisible to alice");
  assert.equal(await coll.count({}), 3);
  const grouped = await coll.aggregate([{ $group: { _id: '$done', n: { $sum: 1 } } }, { $sort: { _id: 1 } }]);
  assert.deepEqual(grouped.map((g) => [g._id, g.n]), [[false, 2], [true, 1]]);

  const updated = await coll.updateOne({ text: 'a1' }, { $set: { done: true } });
  assert.deepEqual([updated.matchedCount, updated.modifiedCount], [1, 1]);
  const updatedMany = await coll.updateMany({ done: true }, { $set: { note: 'finished' } });
  assert.equal(updatedMany.matchedCount, 2);
  const upserted = await coll.updateOne({ text: 'a4' }, { $set: { owner_id: alice.id, done: false } }, { upsert: true });
  assert.ok(upserted.upsertedId instanceof BSON.ObjectId);
  // a real ObjectId: made now (a random id's timestamp decodes to decades away)
  assert.ok(Math.abs(upserted.upsertedId.getTimestamp().getTime() - Date.now()) < 3600_000, `${upserted.upsertedId.getTimestamp()}`);

  const after = await coll.findOneAndUpdate({ text: 'a4' }, { $set: { done: true } }, { returnNewDocument: true });
  assert.equal(after.done, true);
  const replaced = await coll.findOneAndReplace({ text: 'a4' }, { owner_id: alice.id, text: 'a4 again', done: false },
    { returnNewDocument: true });
  assert.equal(replaced.text, 'a4 again');
  const removed = await coll.findOneAndDelete({ text: 'a4 again' });
  assert.equal(removed.text, 'a4 again');

  assert.equal((await coll.deleteOne({ text: 'a3' })).deletedCount, 1);
  assert.equal((await coll.deleteMany({})).deletedCount, 2, "deleteMany removes only alice's items");
  assert.equal((await items(bob).count({})), 1, "bob's item survived alice's deleteMany");
});

test('realm: a write the rules refuse is rejected whole and changes nothing', async () => {
  const alice = await login();
  const bob = await login();
  await assert.rejects(items(alice).insertOne({ owner_id: bob.id, text: 'planted', done: false }), (error) => {
    assert.match(error.error, /todo\.items/);
    return true;
  });
  await assert.rejects(items(alice).insertOne({ owner_id: alice.id, done: false }), /text/, 'the schema requires text');
  assert.equal(await items(bob).count({ text: 'planted' }), 0);
  assert.equal(await items(alice).count({}), 0);
});
