// Prints the licence of every package in package-lock.json with its licence file, for
// ccbc_graph/server/static/yasgui/THIRD-PARTY-NOTICES.txt (run by refresh.sh after npm ci).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const out = [
  "Packages installed with @zazuko/yasgui (tools/yasgui/package-lock.json) and their licences.",
  "yasgui.min.js is the package's own prebuilt bundle: it contains these packages as resolved",
  "when YASGUI was built, which may be other patch versions than the ones listed here.",
];
for (const [path, meta] of Object.entries(lock.packages)) {
  if (!path) continue;
  const name = path.replace(/^.*node_modules\//, "");
  const files = readdirSync(path).filter((f) => /^(licen[cs]e|copying|notice)/i.test(f)).sort();
  out.push("", "=".repeat(78), `${name} ${meta.version} — ${meta.license ?? "see its licence file"}`, "=".repeat(78));
  for (const file of files) out.push(readFileSync(join(path, file), "utf8").trimEnd());
  if (!files.length) out.push(`(the package ships no licence file; its package.json says ${meta.license})`);
}
console.log(out.join("\n"));
