// Validates an OpenAPI document three times: against the official JSON schema of its version, by
// dereferencing every $ref (swagger-parser), and with Redocly CLI's recommended rules (redocly.yaml), which must
// report no error and no warning. Prints "valid" or the problems; exit code 1 if invalid.
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import SwaggerParser from "@apidevtools/swagger-parser";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate.mjs openapi.json");
  process.exit(2);
}

const document = JSON.parse(await readFile(file, "utf8"));
const schemaCheck = await new Validator().validate(structuredClone(document));
if (!schemaCheck.valid) {
  console.error(`schema validation failed (OpenAPI ${document.openapi}):`);
  console.error(JSON.stringify(schemaCheck.errors, null, 2));
  process.exit(1);
}

try {
  await SwaggerParser.validate(structuredClone(document));
} catch (error) {
  console.error(`swagger-parser: ${error.message}`);
  process.exit(1);
}

// Redocly sends usage telemetry unless told not to; the tests talk to no one.
const here = fileURLToPath(new URL(".", import.meta.url));
let lint;
try {
  lint = execFileSync(process.execPath, [`${here}node_modules/@redocly/cli/bin/cli.js`, "lint", file, "--format=json", "--config", `${here}redocly.yaml`], {
    cwd: here,
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
} catch (error) {
  lint = error.stdout; // exit code 1 when it found errors; the report is still on stdout
}
const report = JSON.parse(lint);
if (report.totals.errors > 0 || report.totals.warnings > 0) {
  console.error(`redocly lint (recommended): ${report.totals.errors} errors, ${report.totals.warnings} warnings`);
  for (const problem of report.problems) {
    console.error(`  ${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location?.[0]?.pointer ?? "?"}`);
  }
  process.exit(1);
}

console.log(`valid OpenAPI ${document.openapi}: ${Object.keys(document.paths ?? {}).length} paths`);
