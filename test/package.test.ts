// The package as a user installs it: `npm pack`, then `npm install dataplane-*.tgz` into an
// empty project needs no build step and no install script (dist/ ships in the tarball), carries
// the LICENSE, and its `dataplane` bin runs. (Its runtime dependencies come from the npm cache or
// the registry.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

test("npm pack + npm install of the tarball: dist/ and LICENSE inside, no install scripts, the bin runs", () => {
  const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { version: string; scripts: Record<string, string> };
  for (const hook of ["preinstall", "install", "postinstall", "prepare"]) assert.equal(manifest.scripts[hook], undefined, hook);
  assert.match(readFileSync("LICENSE", "utf8"), /^MIT License/);
  const directory = mkdtempSync(join(tmpdir(), "dataplane-pack-"));
  try {
    // dist/ is built by `npm test` before the tests run; --ignore-scripts skips rebuilding it here.
    const pack = spawnSync("npm", ["pack", "--ignore-scripts", "--pack-destination", directory], { encoding: "utf8" });
    assert.equal(pack.status, 0, pack.stderr);
    const tarball = readdirSync(directory).find((name) => name.endsWith(".tgz"));
    assert.ok(tarball, pack.stdout);
    const project = join(directory, "project");
    spawnSync("mkdir", [project]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    const install = spawnSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(directory, tarball)], {
      cwd: project,
      encoding: "utf8",
    });
    assert.equal(install.status, 0, install.stderr);
    assert.doesNotMatch(`${install.stdout}${install.stderr}`, /install-scripts|prepare/);
    const installed = join(project, "node_modules", "dataplane");
    for (const file of ["dist/index.js", "dist/index.cjs", "dist/node.js", "dist/cli.js", "LICENSE", "README.md"]) {
      assert.ok(existsSync(join(installed, file)), file);
    }
    const version = spawnSync(join(project, "node_modules", ".bin", "dataplane"), ["--version"], { encoding: "utf8" });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), manifest.version);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
