import * as pulumi from "@pulumi/pulumi";

/** The stacks this project's entry can run, by their short name. */
export const STACK_NAMES = ["global", "china"] as const;
export type StackName = (typeof STACK_NAMES)[number];

/**
 * The short name of a stack (`acme/global` and `acme/silkroute/global` → `global`),
 * or a RunError naming the value and the fix.
 */
export function stackKind(stack: string): StackName {
  const short = stack.split("/").pop() ?? stack;
  if ((STACK_NAMES as readonly string[]).includes(short)) return short as StackName;
  throw new pulumi.RunError(
    `stack "${stack}" is not a silkroute stack: use global or china (org-qualified names such as acme/global work too). Run: pulumi stack select global`,
  );
}
