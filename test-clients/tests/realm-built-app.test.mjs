// realm-web 2.0.1, unmodified, against an app that a Java test built from nothing through the
// service layer (AppEditor): providers, a service with rules, functions, a trigger whose function
// was renamed after it was created, a value and a secret, and an email/password user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Realm from 'realm-web';
import { BASE_URL, APP_ID, sleep } from './env.mjs';

const EMAIL = process.env.THIMBLE_USER_EMAIL;
const PASSWORD = process.env.THIMBLE_USER_PASSWORD;
const SECRET_LENGTH = Number(process.env.THIMBLE_SECRET_LENGTH);
const app = () => new Realm.App({ id: APP_ID, baseUrl: BASE_URL });
const db = (user) => user.mongoClient('mongodb-atlas').db('shop');

test('built app: the created user logs in, a created function writes under the created rule, the renamed trigger counts it', async () => {
  const user = await app().logIn(Realm.Credentials.emailPassword(EMAIL, PASSWORD));
  const order = await user.functions.placeOrder('a book');
  assert.equal(order.owner_id, user.id);
  assert.equal(order.shop, 'Corner Shop');
  const mine = await db(user).collection('orders').find({});
  assert.deepEqual(mine.map((o) => o.item), ['a book']);
  let count = null;
  for (let i = 0; i < 200 && !count; i++) {
    count = await db(user).collection('counts').findOne({ _id: user.id });
    if (!count) await sleep(100);
  }
  assert.ok(count, 'the trigger (its function renamed to tallyOrder) counted the order within 20 s');
  assert.equal(count.orders, 1);
});

test('built app: another user sees none of those orders, and may not write one for someone else', async () => {
  const other = await app().logIn(Realm.Credentials.anonymous(false));
  assert.deepEqual(await db(other).collection('orders').find({}), []);
  await assert.rejects(db(other).collection('orders').insertOne({ owner_id: 'someone-else', item: 'x' }));
});

test('built app: a value read from the secret reaches the function, and the old function name is gone', async () => {
  const user = await app().logIn(Realm.Credentials.anonymous(false));
  assert.equal(await user.functions.keyLength(), SECRET_LENGTH);
  await assert.rejects(user.functions.countOrder({}), (error) => {
    assert.equal(error.errorCode, 'FunctionNotFound');
    return true;
  });
});
