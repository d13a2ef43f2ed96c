import { APP_KINDS, kindActions, kindResources, compressActions, isRegional } from "../components/appKinds";
test("x", () => { let total = 0;
for (const k of APP_KINDS) {
  const acts = kindActions(k);
  const c = compressActions(k.service, acts.map(a => a.name));
  const r = kindResources(k, { partition: "aws-cn", accountId: "123456789012", appPrefixes: ["silkroute-dev"] });
  const s = JSON.stringify({ Sid: "X", Effect: "Allow", Action: c, Resource: r, Condition: isRegional(k) ? { StringEquals: { "aws:RequestedRegion": ["cn-north-1"] } } : undefined });
  total += s.length;
  console.log(k.name, acts.length, c.length, s.length, r, c.slice(0, 12).join(" "));
}
console.log("total", total); });
