// Validates an OpenAPI document (JSON file given as argv[2]) against the official OpenAPI JSON schemas.
// Prints one JSON line: {"valid": bool, "version": "<openapi field>", "errors": [...]}; exit 0 when valid, 1 otherwise.
import { readFile } from "node:fs/promises";
import { Validator } from "@seriousme/openapi-schema-validator";

function report(valid, version, errors) {
  process.stdout.write(JSON.stringify({ valid, version, errors }) + "\n");
  process.exitCode = valid ? 0 : 1;
}

const path = process.argv[2];
if (!path) {
  report(false, null, ["usage: node openapi-lint.mjs <openapi.json>"]);
} else {
  let doc;
  try {
    doc = JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    doc = undefined;
    report(false, null, [`cannot read ${path} as JSON: ${e.message}`]);
  }
  if (doc !== undefined) {
    const version = doc && typeof doc === "object" ? (doc.openapi ?? doc.swagger ?? null) : null;
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
      report(false, version, ["the document is not a JSON object"]);
    } else {
      try {
        const validator = new Validator();
        const result = await validator.validate(doc);
        const errors = result.valid
          ? []
          : Array.isArray(result.errors)
            ? result.errors
            : [result.errors ?? "invalid"];
        report(result.valid === true, version, errors);
      } catch (e) {
        report(false, version, [`validator failed: ${e.message}`]);
      }
    }
  }
}
