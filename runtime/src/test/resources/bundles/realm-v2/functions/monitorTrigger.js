exports = function(changeEvent) {
  console.log(JSON.stringify(changeEvent.fullDocument));
};
