'use strict';
// Modules real packages require while loading but whose operations functions cannot do (sockets, DNS,
// terminals): the module loads, and each operation throws an error naming it.
module.exports = function unavailable(name, why, extra) {
  const api = Object.assign({}, extra);
  return new Proxy(api, {
    get(target, property) {
      if (property in target || typeof property !== 'string' || property === 'then' || property === '__esModule') return target[property];
      return function () {
        const e = new Error(name + '.' + property + ' is not available in Thimble functions (' + why + ')');
        e.code = 'ERR_THIMBLE_UNAVAILABLE';
        throw e;
      };
    }
  });
};
