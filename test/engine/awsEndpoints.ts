import * as crypto from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";
import { DoubleStore, RUN_LABEL_VARIABLE } from "./awsDouble/store";
import { regionInfo } from "./awsDouble/identity";

/**
 * SSM (GetParameter, JSON 1.1 protocol), STS (GetCallerIdentity, Query
 * protocol) and S3 (ListObjectsV2, path-style REST) on 127.0.0.1, answered
 * from the provider double's store, for the driver's real AWS SDK clients:
 * point them here with AWS_ENDPOINT_URL_SSM, AWS_ENDPOINT_URL_STS and
 * AWS_ENDPOINT_URL_S3. The caller is the access key named in the
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

const xml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function s3Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${xml(message)}</Message></Error>`;
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
      sts
        ? stsError(res, 403, code, message)
        : credential?.service === "s3"
          ? send(res, 403, "application/xml", s3Error(code, message))
          : jsonError(res, 400, code, message);
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
    if (credential.service === "s3") return listObjects(req, res, key.partition);
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

  /** ListObjectsV2 of a path-style request, `GET /<bucket>?list-type=2&prefix=…`; nothing else. */
  const listObjects = (req: http.IncomingMessage, res: http.ServerResponse, partition: string) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const bucket = decodeURIComponent(url.pathname.split("/")[1] ?? "");
    if (req.method !== "GET" || url.searchParams.get("list-type") !== "2" || bucket === "") {
      log({ service: "s3", action: `${req.method} ${url.pathname}`, refused: "not served" });
      return send(res, 400, "application/xml", s3Error("NotImplemented", "not served"));
    }
    const prefix = url.searchParams.get("prefix") ?? "";
    const objects = store.listObjects(partition, bucket, prefix);
    log({ service: "s3", action: "ListObjectsV2", bucket, prefix, count: objects.length });
    const contents = objects
      .map(
        (o) =>
          `<Contents><Key>${xml(o.key)}</Key><LastModified>${o.lastModified}</LastModified><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      )
      .join("");
    send(
      res,
      200,
      "application/xml",
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${objects.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
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
