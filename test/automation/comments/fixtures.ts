import * as http from "node:http";
import { AddressInfo } from "node:net";
import { ChangeKind, TargetPreview } from "../../../automation/comments/types";

const NO_CHANGES: Record<ChangeKind, number> = {
  create: 0,
  update: 0,
  replace: 0,
  delete: 0,
  same: 0,
};

/** A succeeded preview with no changes unless overridden. */
export function preview(name: string, overrides: Partial<TargetPreview> = {}): TargetPreview {
  return {
    name,
    status: "succeeded",
    changes: NO_CHANGES,
    resources: [],
    diff: "",
    violations: [],
    ...overrides,
  };
}

/** A preview creating `count` resources, with a diff listing them. */
export function creating(name: string, count = 2, diff?: string): TargetPreview {
  const resources = Array.from({ length: count }, (_, i) => ({
    op: "create",
    type: "aws:lambda/function:Function",
    name: `${name}-fn-${i}`,
  }));
  return preview(name, {
    changes: { ...NO_CHANGES, create: count, same: 3 },
    resources,
    diff: diff ?? resources.map((r) => `  + ${r.type} ${r.name} create`).join("\n"),
  });
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeGitHubOptions {
  /** Existing comments on the pull request, oldest first. */
  readonly comments?: { id: number; body: string }[];
  /** Comments per page the server returns, whatever per_page asks (to force pagination). */
  readonly pageSize?: number;
  /** Answer every request with this status and GitHub-like error body. */
  readonly failWith?: { status: number; message: string; headers?: Record<string, string> };
  /** Only this repository and pull request exist; anything else is a 404. */
  readonly repository?: string;
  readonly pr?: number;
}

export interface FakeGitHub {
  /** Base URL to use as GITHUB_API_URL (serves the API under /api/v3, like GitHub Enterprise). */
  readonly apiUrl: string;
  readonly requests: RecordedRequest[];
  readonly comments: { id: number; body: string }[];
  close(): Promise<void>;
}

/** A local stand-in for the GitHub REST issue-comment endpoints, on 127.0.0.1 and a random port. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const comments = [...(options.comments ?? [])];
  const requests: RecordedRequest[] = [];
  const pageSize = options.pageSize ?? 100;
  const repository = options.repository ?? "octo/app";
  const pr = options.pr ?? 7;
  let nextId = 1000;
  let origin = "";

  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", origin);
      requests.push({
        method: req.method ?? "",
        path: url.pathname + url.search,
        headers: req.headers,
        body,
      });
      const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(json));
      };
      if (options.failWith) {
        send(
          options.failWith.status,
          { message: options.failWith.message },
          options.failWith.headers,
        );
        return;
      }
      const path = url.pathname.replace(/^\/api\/v3/, "");
      const list = `/repos/${repository}/issues/${pr}/comments`;
      const one = new RegExp(`^/repos/${repository}/issues/comments/(\\d+)$`).exec(path);
      if (path === list && req.method === "GET") {
        const page = Number(url.searchParams.get("page") ?? "1");
        const slice = comments.slice((page - 1) * pageSize, page * pageSize);
        const more = page * pageSize < comments.length;
        const next = `${origin}/api/v3${list}?per_page=100&page=${page + 1}`;
        const last = `${origin}/api/v3${list}?per_page=100&page=${Math.ceil(comments.length / pageSize)}`;
        send(200, slice, more ? { link: `<${next}>; rel="next", <${last}>; rel="last"` } : {});
      } else if (path === list && req.method === "POST") {
        const created = { id: nextId++, body: (JSON.parse(body) as { body: string }).body };
        comments.push(created);
        send(201, created);
      } else if (one && req.method === "PATCH") {
        const found = comments.find((c) => c.id === Number(one[1]));
        if (!found) return send(404, { message: "Not Found" });
        found.body = (JSON.parse(body) as { body: string }).body;
        send(200, found);
      } else {
        send(404, { message: "Not Found" });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${origin}/api/v3`,
    requests,
    comments,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // fetch keeps connections alive; close them so the server can stop.
        server.closeAllConnections();
      }),
  };
}
