exports = function() {
  const moment = require('moment');
  const tz = require('moment-timezone');
  return { endOfMonth: moment.utc('2024-01-31').add(1, 'month').format('YYYY-MM-DD'),
    newYork: tz.utc('2024-03-10T12:00:00Z').tz('America/New_York').format(),
    tokyo: tz.tz('2024-06-01 09:00', 'Asia/Tokyo').utc().format(), fromNow: typeof moment().fromNow() };
};
