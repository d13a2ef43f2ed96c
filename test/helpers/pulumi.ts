import * as aws from "../../components/aws";
import * as pulumi from "@pulumi/pulumi";
import { evaluateStack, EvaluatedStack, StackProgram } from "../../automation/plan/evaluate";
import { RecordedResource } from "../../automation/plan/mocks";
import { revealSecrets } from "../../automation/plan/secrets";

export type { RecordedResource };

/**
 * Runs a program under the shared mock engine (unmocked invokes fail). As `silkroute plan` does
 * without --verbose, it records no stack trace per Pulumi promise meanwhile: under jest, whose
 * traces are source-mapped, those took more than half of every test that evaluates a stack.
 */
export async function evaluate(
  program: StackProgram,
  config: Record<string, string> = {},
  stack = "test",
  stackOutputs?: Record<string, Record<string, unknown>>,
): Promise<EvaluatedStack> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await evaluateStack({ stack, config, program, stackOutputs });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** An explicit provider for a Region, as every silkroute stack makes them. */
export function providerFor(region: string, name = `test-${region}`): aws.Provider {
  return new aws.Provider(name, { region: region as aws.Region });
}

/** Resolves an Output (tests never `expect` inside `.apply`). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

export function ofType(stack: EvaluatedStack, type: string): RecordedResource[] {
  return stack.resources.filter((r) => r.type === type);
}

/** The single resource of a type (optionally with a name); fails otherwise. */
export function only(stack: EvaluatedStack, type: string, name?: string): RecordedResource {
  const found = ofType(stack, type).filter((r) => name === undefined || r.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
  }
  return found[0];
}

/** A resource's inputs with secrets revealed. */
export function inputsOf(resource: RecordedResource): Record<string, any> {
  return revealSecrets(resource.inputs) as Record<string, any>;
}

/** Parses a JSON policy input (bucket, key, role or IAM policy). */
export function policyOf(resource: RecordedResource, key = "policy"): any {
  return JSON.parse(String(inputsOf(resource)[key]));
}
