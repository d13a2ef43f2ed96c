import {
  arnPrefix,
  dnsSuffix,
  Partition,
  partitionOf,
  regionalServicePrincipal,
  servicePrincipal,
} from "../../components/partition";
import { PlannedResource } from "../plan/types";
import { Policy } from "./types";
import { policyDocumentsOf, stringsOf } from "./util";

const OTHER: Record<Partition, Partition> = { aws: "aws-cn", "aws-cn": "aws" };
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Strings that must never appear in the inputs of a resource in a partition. */
export function foreignMarkers(partition: Partition): string[] {
  const other = OTHER[partition];
  // The China DNS suffix extends the global one, so only China's is foreign to aws.
  return partition === "aws" ? [arnPrefix(other), `.${dnsSuffix(other)}`] : [arnPrefix(other)];
}

const partitionArns: Policy = {
  name: "partition-arns",
  description: `Inputs of a resource hold only ARNs and domains of its own partition (no ${arnPrefix("aws")} in aws-cn, no ${arnPrefix("aws-cn")} or .${dnsSuffix("aws-cn")} in aws).`,
  validateResource: (r) => {
    if (r.partition === null || !r.custom) return [];
    const text = JSON.stringify(r.inputs);
    return foreignMarkers(r.partition)
      .filter((marker) => text.includes(marker))
      .map(
        (marker) =>
          `inputs contain "${marker}" but the resource is in ${r.partition}: build ARNs and principals with components/partition.ts`,
      );
  },
};

/**
 * What is wrong with a service principal in a partition, or undefined when it
 * is right or is not an AWS service principal (`svc.<suffix>`, `svc.<region>.<suffix>`,
 * `sub.svc.<suffix>`).
 */
export function principalProblem(principal: string, partition: Partition): string | undefined {
  const suffix = [dnsSuffix("aws-cn"), dnsSuffix("aws")].find((s) => principal.endsWith(`.${s}`));
  if (suffix === undefined) return undefined;
  const labels = principal.slice(0, -suffix.length - 1).split(".");
  let expected: string;
  const [service, region] = labels;
  if (labels.length === 2 && service !== undefined && region !== undefined && REGION.test(region)) {
    if (partitionOf(region) !== partition) {
      return `service principal ${principal} names ${region}, a Region outside ${partition}`;
    }
    expected = regionalServicePrincipal(service, region);
  } else {
    // A service name may have dots of its own (`logging.s3`).
    expected = servicePrincipal(labels.join("."), partition);
  }
  return expected === principal
    ? undefined
    : `service principal ${principal} is wrong in ${partition}; use ${expected} (servicePrincipal() in components/partition.ts)`;
}

const servicePrincipals: Policy = {
  name: "partition-principals",
  description: `Service principals in policies follow the partition table (e.g. ${servicePrincipal("ec2", "aws-cn")} in aws-cn, ${servicePrincipal("lambda", "aws")} in both).`,
  validateResource: (r: PlannedResource) => {
    if (r.partition === null || !r.custom) return [];
    const partition = r.partition;
    const messages: string[] = [];
    for (const { at, statements } of policyDocumentsOf(r)) {
      for (const s of statements) {
        const principal = s.Principal;
        const services =
          typeof principal === "object" && principal !== null
            ? stringsOf((principal as { Service?: unknown }).Service)
            : [];
        for (const service of services) {
          const problem = principalProblem(service, partition);
          if (problem !== undefined) messages.push(`${at}: ${problem}`);
        }
      }
    }
    return messages;
  },
};

export const PARTITION_POLICIES: readonly Policy[] = [partitionArns, servicePrincipals];
