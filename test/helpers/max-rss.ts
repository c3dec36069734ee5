// Loaded with --import into a CLI run by a test: writes the process's peak resident memory (KiB)
// to $DATAPLANE_RSS_FILE when it exits, so the test can bound it.
import { writeFileSync } from "node:fs";

const file = process.env.DATAPLANE_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
