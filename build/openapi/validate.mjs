// Validates an OpenAPI document twice: against the official JSON schema of its version, and by
// dereferencing every $ref (swagger-parser). Prints "valid" or the problems; exit code 1 if invalid.
import { readFile } from "node:fs/promises";
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

console.log(`valid OpenAPI ${document.openapi}: ${Object.keys(document.paths ?? {}).length} paths`);
