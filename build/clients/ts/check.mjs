// The typed-client check: generates TypeScript types from an OpenAPI document (openapi-typescript, with binary
// fields typed as Blob so uploads need no cast), refuses non-null assertions and casts in src/, then compiles
// src/ with `tsc --strict --noEmit`. Usage: node check.mjs openapi.json. Exit code 1 on any failure.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const document = process.argv[2];
if (!document) {
  console.error("usage: node check.mjs openapi.json");
  process.exit(2);
}

const here = fileURLToPath(new URL(".", import.meta.url));
const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));
const NULL = ts.factory.createLiteralTypeNode(ts.factory.createNull());
const ast = await openapiTS(pathToFileURL(document), {
  transform(schema) {
    if (schema.format === "binary") {
      return schema.nullable ? ts.factory.createUnionTypeNode([BLOB, NULL]) : BLOB;
    }
    return undefined;
  },
});
mkdirSync(`${here}generated`, { recursive: true });
writeFileSync(`${here}generated/moonflow-api.ts`, astToString(ast));

// No way around the types: a non-null assertion (`x!.y`, `x!)`, `x!;`) or a cast (`as T`, `<T>x`) fails the check.
const offences = [];
for (const name of readdirSync(`${here}src`).filter((f) => f.endsWith(".ts"))) {
  // Comments and string literals are blanked first (keeping the line breaks), so prose such as "as shown" is not a cast.
  const source = readFileSync(`${here}src/${name}`, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, " "))
    .replace(/\/\/.*$/gm, "")
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, (text) => text.replace(/[^\n]/g, " "));
  const lines = readFileSync(`${here}src/${name}`, "utf8").split("\n");
  source.split("\n").forEach((code, index) => {
    const line = lines[index] ?? "";
    if (/[\w)\]]!(\.|\)|;|,|\[)/.test(code) || /\sas\s+[\w{[(]/.test(code) || /<[A-Z]\w*>\s*[\w(]/.test(code.replace(/\w<[^>]*>/g, ""))) {
      offences.push(`src/${name}:${index + 1}: ${line.trim()}`);
    }
  });
}
if (offences.length > 0) {
  console.error(`non-null assertions or casts in the client module:\n${offences.join("\n")}`);
  process.exit(1);
}

try {
  execFileSync(process.execPath, [`${here}node_modules/typescript/bin/tsc`, "-p", `${here}tsconfig.json`, "--strict", "--noEmit"], {
    cwd: here,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
} catch (error) {
  console.error(`tsc --strict failed:\n${error.stdout}${error.stderr}`);
  process.exit(1);
}

console.log("typed client compiles: tsc --strict, no casts, no non-null assertions");
