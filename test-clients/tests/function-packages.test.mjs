// realm-web 2.0.1, unmodified, calls functions that require real npm packages (versions pinned in
// function-packages/package-lock.json, installed by Thimble from the registry). Expected values are
// what the same code answers on Node itself. THIMBLE_FAKE_URL is a loopback server the Java test runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as Realm from 'realm-web';
import { BASE_URL, APP_ID } from './env.mjs';

const FAKE = process.env.THIMBLE_FAKE_URL;
const KEYS = process.env.THIMBLE_KEYS_DIR;
let userPromise;
const user = () => (userPromise = userPromise || new Realm.App({ id: APP_ID, baseUrl: BASE_URL }).logIn(Realm.Credentials.anonymous(false)));

test('lodash (and a lodash/isEmpty subpath)', async () => {
  assert.deepEqual(await (await user()).functions.lodash(), {
    chunk: [[1, 2], [3, 4], [5]], empty: true, path: 3, grouped: { 3: ['one', 'two'], 5: ['three'] }, merged: { a: { x: 1, y: 2 } } });
});

test('moment and moment-timezone', async () => {
  assert.deepEqual(await (await user()).functions.moment(), {
    endOfMonth: '2024-02-29', newYork: '2024-03-10T08:00:00-04:00', tokyo: '2024-06-01T00:00:00Z', fromNow: 'string' });
});

test('jsonwebtoken: HS256 as Node signs it, RS256 with PEM keys, expiry and bad signatures', async () => {
  const r = await (await user()).functions.jsonwebtoken(readFileSync(`${KEYS}/rsa-priv-pkcs1.pem`, 'utf8'), readFileSync(`${KEYS}/rsa-pub.pem`, 'utf8'));
  assert.equal(r.token, 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1MSIsInJvbGUiOiJhZG1pbiJ9.va-ncZnGAYFBZYJufcUpOCKw_6_SH90LIJcB6LKUZAc');
  assert.equal(r.role, 'admin');
  assert.equal(r.rsSub, 'u2');
  assert.deepEqual(r.decoded, { alg: 'HS256', typ: 'JWT' });
  assert.equal(r.expired, 'TokenExpiredError: jwt expired');
  assert.equal(r.wrongKey, 'invalid signature');
});

test('uuid and nanoid', async () => {
  assert.deepEqual(await (await user()).functions.ids(), { v4: true, v5: '9342d47a-1bab-5709-9869-c840b2eac501', nanoid: 21 });
});

test('crypto-js, js-base64 and jwt-decode', async () => {
  assert.deepEqual(await (await user()).functions.encodings(), {
    hmac: '2d93cbc1be167bcb1637a4a23cbff01a7878f0c50ee833954ea5221bb1b8c628', sha256: 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=',
    aes: 'meet at noon', base64: '5pel5pys', unbase64: '日本', urlSafe: 'Pz8-Pg', jwt: { sub: 'u1', name: 'Alice' } });
});

test('joi, validator and slugify', async () => {
  const fns = (await user()).functions;
  assert.deepEqual(await fns.validation({ name: 'Al', age: -1, email: 'nope' }), {
    error: ['"name" length must be at least 3 characters long', '"age" must be greater than or equal to 0', '"email" must be a valid email'],
    value: { name: 'Al', age: -1, email: 'nope' }, isEmail: false, slug: 'al' });
  const ok = await fns.validation({ name: 'Zoë Smith', age: 30, email: 'zoe@example.com' });
  assert.equal(ok.error, null);
  assert.equal(ok.isEmail, true);
  assert.equal(ok.slug, 'zoe-smith');
});

test('dayjs and date-fns', async () => {
  assert.deepEqual(await (await user()).functions.dates(), { dayjs: '2024-02-29', dateFns: '2024-02-29', days: 29 });
});

test('qs, bcryptjs, xml2js, the crypto@1.0.1 placeholder and .default interop', async () => {
  assert.deepEqual(await (await user()).functions.misc(), {
    qs: 'a%5Bb%5D%5B0%5D=1&a%5Bb%5D%5B1%5D=2', parsed: { filter: { name: 'x', tags: ['a', 'b'] } }, bcrypt: [true, false],
    xml: { order: { $: { id: '7' }, item: ['tea', 'milk'] } }, placeholderCrypto: '11f6ad8ec52a2984abaafd7c3b516503785c2072',
    interop: ['function', true] });
});

test('axios through the http built-in: GET with headers, POST JSON, gzip, a 404 and a refused connection', async () => {
  const r = await (await user()).functions.axios(FAKE);
  assert.deepEqual(r.get, { method: 'GET', query: 'x=1', body: '', xTest: 'from axios', contentType: 'null' });
  assert.equal(r.status, 200);
  assert.equal(r.posted.method, 'POST');
  assert.deepEqual(JSON.parse(r.posted.body), { item: 'tea', n: 2 });
  assert.equal(r.posted.contentType, 'application/json');
  assert.deepEqual(r.gzip, { compressed: true });
  assert.deepEqual(r.missing, ['AxiosError', 404, 'no such thing']);
  assert.equal(r.refused, 'ECONNREFUSED');
  assert.equal(r.instance, 'token=abc');
});

test('node-fetch v2 through the http built-in', async () => {
  const r = await (await user()).functions.nodefetch(FAKE);
  assert.equal(r.status, 200);
  assert.equal(r.ok, true);
  assert.equal(r.body.method, 'PUT');
  assert.deepEqual(JSON.parse(r.body.body), { a: 1 });
  assert.equal(r.type, 'application/json; charset=utf-8');
  assert.deepEqual(r.gzip, { compressed: true });
});

test('twilio sends a message (to a loopback stand-in for its API)', async () => {
  assert.deepEqual(await (await user()).functions.twilio(FAKE), { sid: 'SM123', status: 'queued', to: '+15550002' });
});

test('what the sandbox refuses fails with a message naming the module', async () => {
  const fns = (await user()).functions;
  assert.equal(await fns.refused('child_process'),
    "ERR_THIMBLE_REFUSED: require('child_process'): Node's child_process module is not available in Thimble functions (functions cannot start processes)");
  assert.match(await fns.refused('left-pad'), /^MODULE_NOT_FOUND: Cannot find module 'left-pad': it is not in the app's functions\/node_modules/);
  assert.equal(await fns.refused('lodash'), 'loaded');
});
