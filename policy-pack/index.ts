import { PolicyPack } from "@pulumi/policy";
import { crossGuardPolicies } from "./adapter";

// The silkroute rules (automation/policies) as a CrossGuard pack. Built by
// `npm run build` into dist/policy-pack; policy-pack/package.json points there.
// Constructing the pack starts its gRPC server, so tests import ./adapter only.
new PolicyPack("silkroute", {
  description: "silkroute: partition correctness and AWS Foundational Security Best Practices",
  enforcementLevel: "mandatory",
  policies: crossGuardPolicies(),
});
