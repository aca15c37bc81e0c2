// Used by the rules of clinic.patients (the nurse's write permission on test_results):
// true when `next` keeps every entry of `previous`, unchanged and in order, and adds at
// least one at the end. So a nurse can record a test result but never edit or remove one.
exports = function(previous, next) {
  const before = previous || [];
  if (!Array.isArray(before) || !Array.isArray(next) || next.length <= before.length) {
    return false;
  }
  return before.every((entry, i) => JSON.stringify(entry) === JSON.stringify(next[i]));
};
