// Builds the package (npm run build) when dist/ is missing, so that `npm install && npm start`
// works on a fresh clone without a build on install (the published package ships dist/, and
// an install script would make consumers approve it).
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

if (!existsSync(new URL("../dist/cli.js", import.meta.url))) {
  console.error("dist/ is missing: building it first (npm run build)");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["run", "build"], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
