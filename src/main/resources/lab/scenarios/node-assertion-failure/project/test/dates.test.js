const test = require("node:test");
const assert = require("node:assert");
const { daysBetween } = require("../dates.js");

test("a week has seven days between its ends", () => {
  assert.strictEqual(daysBetween(new Date("2026-11-01"), new Date("2026-11-08")), 7);
});
