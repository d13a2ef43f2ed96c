/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads: module node16 emits a
   require() as written, while an import() would stay an ECMAScript import (tsconfig.json). */
import * as pulumi from "@pulumi/pulumi";
import { stackKind } from "./select";

// The Pulumi entry: the stack name chooses the program. Each program reads its
// config once, builds components and returns the stack outputs.
export = async (): Promise<Record<string, unknown>> => {
  switch (stackKind(pulumi.getStack())) {
    case "global":
      // The app's paths (a template) are relative to the project, not to stacks/ where this runs.
      return (require("./global") as typeof import("./global")).globalProgram({
        projectDir: pulumi.runtime.getRootDirectory() || undefined,
      });
    case "china":
      return (require("./china") as typeof import("./china")).chinaProgram();
  }
};
