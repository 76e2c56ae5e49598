// size-limit only discovers `.size-limit.*` or package.json; the budgets live in size-limit.json.
module.exports = require('./size-limit.json');
