'use strict';
// Node's timers: the same functions as the globals, on the execution's own queue.
module.exports = thimble.timers;
