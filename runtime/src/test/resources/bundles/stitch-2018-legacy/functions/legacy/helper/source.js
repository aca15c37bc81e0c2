exports = function() { return "from a nested function"; };
