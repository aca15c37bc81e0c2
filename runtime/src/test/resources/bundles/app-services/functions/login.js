exports = (payload) => payload.username;
