import type * as fsModule from "fs";

/**
 * The files `run` reads through fs.readFileSync, on the fs module object
 * itself (a test's `import * as fs` is a copy of its properties, which a spy
 * would not reach; jest.isolateModules shares it).
 */
export function readsDuring(run: () => void): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require("fs") as typeof fsModule;
  const read: string[] = [];
  const readFileSync = fs.readFileSync;
  const spy = jest.spyOn(fs, "readFileSync").mockImplementation(((
    ...args: Parameters<typeof fs.readFileSync>
  ) => {
    read.push(String(args[0]));
    return readFileSync(...args);
  }) as typeof fs.readFileSync);
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return read;
}
