import * as pulumi from "@pulumi/pulumi";
import { stackKind } from "./select";

// The Pulumi entry: the stack name chooses the program. Each program reads its
// config once, builds components and returns the stack outputs.
export = async (): Promise<Record<string, unknown>> => {
  switch (stackKind(pulumi.getStack())) {
    case "global":
      return (await import("./global")).globalProgram();
    case "china":
      return (await import("./china")).chinaProgram();
  }
};
