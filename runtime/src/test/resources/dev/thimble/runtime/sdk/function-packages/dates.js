exports = function() {
  const dayjs = require('dayjs');
  const { format, addDays, differenceInCalendarDays } = require('date-fns');
  return { dayjs: dayjs('2024-02-28').add(1, 'day').format('YYYY-MM-DD'),
    dateFns: format(addDays(new Date(2024, 1, 28), 1), 'yyyy-MM-dd'),
    days: differenceInCalendarDays(new Date(2024, 2, 1), new Date(2024, 1, 1)) };
};
