import * as crypto from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";
import { DoubleStore, RUN_LABEL_VARIABLE } from "./awsDouble/store";
import { regionInfo } from "./awsDouble/identity";

/**
 * SSM (GetParameter, JSON 1.1 protocol) and STS (GetCallerIdentity, Query
 * protocol) on 127.0.0.1, answered from the provider double's store, for the
 * driver's real AWS SDK clients: point them here with AWS_ENDPOINT_URL_SSM
 * and AWS_ENDPOINT_URL_STS. The caller is the access key named in the
 * request's SigV4 Authorization header; an unknown or inactive key, or one of
 * the other partition, is refused as AWS refuses it.
 */
export interface AwsEndpoints {
  readonly url: string;
  close(): Promise<void>;
}

/** `Credential=AKID/20261130/us-east-1/ssm/aws4_request` → key id, Region, service. */
function credentialOf(req: http.IncomingMessage) {
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
    req.headers.authorization ?? "",
  );
  return match ? { accessKeyId: match[1], region: match[2], service: match[3] } : undefined;
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "x-amzn-requestid": crypto.randomUUID() });
  res.end(body);
}

function jsonError(res: http.ServerResponse, status: number, code: string, message: string) {
  send(res, status, "application/x-amz-json-1.1", JSON.stringify({ __type: code, message }));
}

function stsError(res: http.ServerResponse, status: number, code: string, message: string) {
  send(
    res,
    status,
    "text/xml",
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`,
  );
}

export async function startAwsEndpoints(store: DoubleStore): Promise<AwsEndpoints> {
  const log = (record: Record<string, unknown>) =>
    store.log({ call: "endpoint", run: process.env[RUN_LABEL_VARIABLE], ...record });

  const handle = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => {
    const credential = credentialOf(req);
    const key = credential && store.getAccessKey(credential.accessKeyId);
    const target = String(req.headers["x-amz-target"] ?? "");
    const sts = credential?.service === "sts";
    const refuse = (code: string, message: string) =>
      sts ? stsError(res, 403, code, message) : jsonError(res, 400, code, message);
    if (!credential || !key || key.status !== "Active") {
      log({ service: credential?.service, action: target, refused: "unknown key" });
      return sts
        ? refuse("InvalidClientTokenId", "The security token included in the request is invalid.")
        : refuse(
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
          );
    }
    if (regionInfo(credential.region).partition !== key.partition) {
      log({ service: credential.service, refused: "partition" });
      return refuse(
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
      );
    }
    if (sts) {
      const action = new URLSearchParams(body).get("Action");
      log({ service: "sts", action, region: credential.region, account: key.account });
      if (action !== "GetCallerIdentity") return refuse("InvalidAction", `not served: ${action}`);
      return send(
        res,
        200,
        "text/xml",
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${key.arn}</Arn><UserId>${key.accessKeyId}</UserId><Account>${key.account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
    }
    if (target !== "AmazonSSM.GetParameter") {
      log({ service: "ssm", action: target, refused: "not served" });
      return jsonError(res, 400, "InvalidAction", `not served: ${target}`);
    }
    const { Name: name } = JSON.parse(body) as { Name: string; WithDecryption?: boolean };
    const parameter = store.getParameter(key.account, credential.region, name);
    log({ service: "ssm", action: "GetParameter", name, found: parameter !== undefined });
    if (!parameter) return jsonError(res, 400, "ParameterNotFound", `Parameter ${name} not found.`);
    send(
      res,
      200,
      "application/x-amz-json-1.1",
      JSON.stringify({
        Parameter: {
          Name: parameter.name,
          Type: parameter.type,
          Value: parameter.value,
          Version: parameter.version,
          ARN: parameter.arn,
          DataType: "text",
          LastModifiedDate: Date.now() / 1000,
        },
      }),
    );
  };

  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => handle(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
