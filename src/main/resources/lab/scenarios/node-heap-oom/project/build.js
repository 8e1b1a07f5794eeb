// Collects a source map per module, then writes the bundle summary.
const maps = [];
for (let i = 0; i < 1500; i++) {
  const mappings = [];
  for (let j = 0; j < 2000; j++) {
    mappings.push({ module: i, line: j, column: j % 80, name: "sym" + j });
  }
  maps.push(mappings);
}
console.log(`bundled ${maps.length} modules`);
