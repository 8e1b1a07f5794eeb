const DAY = 24 * 60 * 60 * 1000;

function daysBetween(from, to) {
  return Math.round((to - from) / DAY) + 1;
}

module.exports = { daysBetween };
