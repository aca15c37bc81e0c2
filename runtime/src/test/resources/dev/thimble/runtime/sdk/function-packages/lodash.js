exports = function() {
  const _ = require('lodash');
  const isEmpty = require('lodash/isEmpty');
  return { chunk: _.chunk([1, 2, 3, 4, 5], 2), empty: isEmpty({}), path: _.get({ a: { b: [{ c: 3 }] } }, 'a.b[0].c'),
    grouped: _.groupBy(['one', 'two', 'three'], 'length'), merged: _.merge({ a: { x: 1 } }, { a: { y: 2 } }) };
};
