import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/*
 * Temporary folders of a test file, removed when its tests are done: jest
 * loads this module once per test file, so each file removes its own.
 */

const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder under the system's temporary folder, removed after the test file. */
export function tempDir(prefix: string): string {
  return removedAfter(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** `dir`, made elsewhere, removed after the test file. */
export function removedAfter(dir: string): string {
  made.push(dir);
  return dir;
}
