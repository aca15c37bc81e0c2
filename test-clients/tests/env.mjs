// The server under test: started by the Java test that runs these files (see SdkTests.java).
export const BASE_URL = required('THIMBLE_BASE_URL');
export const APP_ID = required('THIMBLE_APP_ID');
export const SERVER_API_KEY = process.env.THIMBLE_SERVER_API_KEY;
export const ACCESS_TOKEN_SECONDS = Number(process.env.THIMBLE_ACCESS_TOKEN_SECONDS || '1800');

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: these tests run from the Java test suite (./run-tests), which starts a server`);
  }
  return value;
}

let counter = 0;
/** A fresh email per test, so tests never depend on each other's accounts. */
export function freshEmail(prefix) {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now()}-${counter}@example.com`;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw call to the client API, for checking what the server does with tokens the SDK has dropped. */
export async function rawRequest(method, path, token) {
  const response = await fetch(`${BASE_URL}/api/client/v2.0${path}`, {
    method,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), body: text ? JSON.parse(text) : null };
}
