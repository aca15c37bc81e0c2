'use strict';
// Enough for packages that probe for async_hooks while loading; there is one async context per request.
class AsyncResource {
  constructor(type) { this.type = type; }
  runInAsyncScope(fn, thisArg, ...args) { return fn.apply(thisArg, args); }
  emitDestroy() { return this; }
  asyncId() { return 1; }
  triggerAsyncId() { return 0; }
  bind(fn) { return fn.bind(this); }
  static bind(fn) { return fn; }
}
class AsyncLocalStorage {
  constructor() { this._store = undefined; }
  getStore() { return this._store; }
  run(store, fn, ...args) { const before = this._store; this._store = store; try { return fn(...args); } finally { this._store = before; } }
  enterWith(store) { this._store = store; }
  disable() { this._store = undefined; }
}
module.exports = { AsyncResource, AsyncLocalStorage, executionAsyncId() { return 1; }, triggerAsyncId() { return 0; },
  createHook() { return { enable() { return this; }, disable() { return this; } }; } };
