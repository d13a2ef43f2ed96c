import * as fs from "fs";
import * as path from "path";
import { APPS, plan, projectWith, stack } from "../../helpers/appProjects";

/*
 * A Lambda event source mapping can only be granted on Resource "*"
 * (lambda:CreateEventSourceMapping has no resource in IAM), which silkroute
 * never generates: the pre-flight must fail each one, in a program, a
 * template and SAM's queue events alike, naming the action and what to do,
 * rather than leave the deploy to fail with AccessDenied.
 */

/** The pre-flight's message for a mapping of the function `fn`. */
const message = (fn: string) =>
  new RegExp(
    `may not lambda:CreateEventSourceMapping on \\* \\(ImplicitlyDenied\\): an event source mapping \\(for arn:aws(-cn)?:lambda:[a-z0-9-]+:\\d+:function:${fn}\\) is granted on Resource "\\*" only.*docs/app\\.md#event-source-mappings\\)$`,
  );

/** A copy of an example app with `edit` applied to one of its files. */
function edited(app: string, file: string, edit: (text: string) => string): string {
  const project = projectWith(APPS[app]);
  const at = path.join(project, "examples", file);
  const text = fs.readFileSync(at, "utf8");
  const changed = edit(text);
  expect(changed).not.toBe(text);
  fs.writeFileSync(at, changed);
  return project;
}

describe("event source mappings in the pre-flight", () => {
  it("fails a program's mapping in every target, on the mapping, naming the action and the fix", async () => {
    // given the queue-table program with its function fed by its queue
    const project = edited("queue-table", "queue-table/index.ts", (text) =>
      text.replace(
        "  return { functionName",
        '  new aws.lambda.EventSourceMapping("orders-feed", { eventSourceArn: queue.arn, functionName: fn.name }, opts);\n  return { functionName',
      ),
    );
    // when
    const { code, doc } = await plan(project);
    // then
    expect(code).toBe(4);
    for (const [env, name] of [
      ["dev", "app-dev-us-east-1"],
      ["dev", "app-dev-china"],
      ["prod", "app-prod-us-east-1"],
    ]) {
      expect(stack(doc, name).violations).toEqual([
        expect.objectContaining({
          policy: "app-deploy-preflight",
          urn: expect.stringMatching(/EventSourceMapping::orders-feed$/),
          message: expect.stringMatching(message(`silkroute-${env}-take-order`)),
        }),
      ]);
    }
    expect(stack(doc, "app-dev-china").violations[0].message).toMatch(
      /^the dev China deploy group silkroute-dev-china-deployers may not/,
    );
  });

  it("fails a SAM function whose queue event SAM turns into a mapping, and a template's own mapping", async () => {
    // given the SAM example with an SQS event on its function, and a mapping of its own
    const project = edited("sam-hello", "sam-hello/template.yaml", (text) =>
      text
        .replace(
          "      Handler: app.handler\n",
          [
            "      Handler: app.handler",
            "      Events:",
            "        Orders:",
            "          Type: SQS",
            "          Properties:",
            "            Queue: !GetAtt Orders.Arn",
            "",
          ].join("\n"),
        )
        .replace(
          "  HelloLogs:\n",
          [
            "  Orders:",
            "    Type: AWS::SQS::Queue",
            "    Properties:",
            '      QueueName: !Sub "${SilkroutePrefix}-orders"',
            "  Feed:",
            "    Type: AWS::Lambda::EventSourceMapping",
            "    Properties:",
            "      EventSourceArn: !GetAtt Orders.Arn",
            "      FunctionName: !Ref HelloFunction",
            "  HelloLogs:",
            "",
          ].join("\n"),
        ),
    );
    // when
    const { code, doc } = await plan(project);
    // then each is named, and nothing else fails (queues are the template's own kind)
    expect(code).toBe(4);
    const violations = stack(doc, "app-dev-us-east-1").violations;
    expect(violations.map((v) => v.urn.split("::").pop())).toEqual(["HelloFunction", "Feed"]);
    for (const v of violations) {
      expect(v.message).toMatch(message("silkroute-dev-hello"));
      expect(v.message).toContain("the dev deploy role silkroute-deploy-dev");
    }
  });
});
