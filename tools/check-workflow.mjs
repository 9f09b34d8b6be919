// Checks a GitHub Actions workflow with GitHub's own parser (@actions/workflow-parser, the one
// behind the VS Code extension): prints {"errors": [...], "jobs": [...]} as JSON.
import { register } from "node:module";
import { readFileSync } from "node:fs";

// The parser imports its JSON schema without an import attribute (it is built for bundlers).
register("data:text/javascript," + encodeURIComponent(`
export async function load(url, context, next) {
  if (url.endsWith(".json")) {
    return next(url, { ...context, importAttributes: { ...context.importAttributes, type: "json" } });
  }
  return next(url, context);
}`));
const { parseWorkflow, NoOperationTraceWriter, convertWorkflowTemplate } = await import(
  "@actions/workflow-parser"
);
const file = process.argv[2];
const result = parseWorkflow({ name: file, content: readFileSync(file, "utf8") }, new NoOperationTraceWriter());
let jobs = [];
if (result.value) {
  const template = await convertWorkflowTemplate(result.context, result.value);
  jobs = (template.jobs || []).map((job) => job.id.value);
}
const errors = result.context.errors.getErrors().map((e) => e.message);
console.log(JSON.stringify({ errors, jobs }));
