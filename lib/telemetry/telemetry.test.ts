import http from "node:http";
import type { AddressInfo } from "node:net";
import { metrics, trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BUILT_IN_ROLES } from "@/lib/access/model";
import type { Db } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { createHsmHandle } from "@/lib/hsm/handle";
import { listRoleDefinitions } from "@/lib/hsm/role-assignments";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

import { registerPortalGauges } from "./gauges";
import { startTelemetry, type Telemetry } from "./start";
import { measureSync } from "./sync";

/*
 * Telemetry through the real SDK and OTLP/HTTP exporters to a receiver on loopback that keeps
 * what it is sent: spans of real HSM calls to the emulator, the metrics, and the headers.
 */

const HSM = "telemetry-weu";
const NOW = Date.UTC(2026, 11, 4, 12);

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

let receiver: http.Server;
const received: Received[] = [];
let stack: TestStack;
let database: TestDatabase;
let db: Db;
let telemetry: Telemetry | undefined;

function startReceiver(): Promise<string> {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        path: req.url ?? "",
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown,
      });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  return new Promise((resolve) =>
    receiver.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}`),
    ),
  );
}

type Attribute = { key: string; value: Record<string, unknown> };
const attributesOf = (list: Attribute[]) =>
  Object.fromEntries(list.map((a) => [a.key, Object.values(a.value)[0]]));

function spans() {
  return received
    .filter((r) => r.path === "/v1/traces")
    .flatMap((r) =>
      (
        r.body as {
          resourceSpans: {
            scopeSpans: {
              spans: {
                name: string;
                spanId: string;
                parentSpanId?: string;
                attributes: Attribute[];
                status?: { code?: number };
              }[];
            }[];
          }[];
        }
      ).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)),
    )
    .map((span) => ({
      name: span.name,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      attributes: attributesOf(span.attributes),
      status: span.status?.code ?? 0,
    }));
}

function metricNamed(name: string) {
  const found = received
    .filter((r) => r.path === "/v1/metrics")
    .flatMap((r) =>
      (
        r.body as { resourceMetrics: { scopeMetrics: { metrics: Record<string, unknown>[] }[] }[] }
      ).resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics)),
    )
    .filter((metric) => metric.name === name);
  return found.flatMap((metric) => {
    const data = (metric.sum ?? metric.gauge ?? metric.histogram) as {
      dataPoints: {
        attributes: Attribute[];
        asInt?: string | number;
        asDouble?: number;
        count?: string | number;
      }[];
    };
    return data.dataPoints.map((point) => ({
      attributes: attributesOf(point.attributes ?? []),
      value: Number(point.asInt ?? point.asDouble ?? point.count),
    }));
  });
}

const handle = () =>
  createHsmHandle(
    { name: HSM, region: "West Europe", url: stack.hsmUrl(HSM), caPem: stack.caPem },
    stack.credential(LOCAL_TOOL_CLIENT_ID),
  );

beforeAll(async () => {
  const endpoint = await startReceiver();
  telemetry = await startTelemetry(
    {
      endpoint,
      headers: { "api-key": "collector-key" },
      serviceName: "keyward-test",
      metricIntervalMs: 60_000,
    },
    "test-instance",
  );
  stack = await startTestStack([{ name: HSM, region: "West Europe" }], { testMode: true });
  await stack.grant(
    HSM,
    stack.principalOf(LOCAL_TOOL_CLIENT_ID),
    BUILT_IN_ROLES.cryptoUser,
    "/keys",
  );
  database = await createTestDatabase("sqlite");
  db = await database.openMigrated();
}, 90_000);

afterAll(async () => {
  await telemetry?.shutdown();
  await database?.dispose();
  await stack?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe("telemetry, when an OTLP endpoint is set", () => {
  it("exports a span and measurements for each HSM request, without key names", async () => {
    await listRoleDefinitions(handle(), "interactive");
    await expect(handle().interactive.keys.getKey("payments-secret-name")).rejects.toThrow();
    await telemetry!.flush();

    const hsmSpans = spans().filter((s) => s.attributes["keyward.hsm"] === HSM);
    const definitions = hsmSpans.find(
      (s) => s.name === "HSM GET /providers/microsoft.authorization/roledefinitions",
    );
    expect(definitions?.attributes).toMatchObject({
      "http.response.status_code": 200,
      "http.request.method": "GET",
    });
    // The Key Vault challenge is answered inside the SDK: no span of a 401.
    expect(hsmSpans.filter((s) => s.attributes["http.response.status_code"] === 401)).toEqual([]);
    const missing = hsmSpans.find((s) => s.name === "HSM GET /keys/{name}");
    expect(missing?.attributes["http.response.status_code"]).toBe(404);
    expect(missing?.status).toBe(2);
    expect(JSON.stringify(received)).not.toContain("payments-secret-name");

    const requests = metricNamed("keyward.hsm.requests");
    expect(requests).toContainEqual({
      attributes: {
        "keyward.hsm": HSM,
        "keyward.hsm.operation": "GET /keys/{name}",
        "http.response.status_code": 404,
      },
      value: 1,
    });
    expect(metricNamed("keyward.hsm.request.duration").length).toBeGreaterThan(0);
    const traces = received.find((r) => r.path === "/v1/traces")!;
    expect(traces.headers["api-key"]).toBe("collector-key");
    expect(JSON.stringify(traces.body)).toContain('"keyward-test"');
  });

  it("counts the HSM's throttling, each retry a span of its own", async () => {
    await stack.request(HSM, LOCAL_TOOL_CLIENT_ID, "PUT", "/emulator/faults", {
      throttle: { read: { rate: 1 } },
    });
    try {
      await expect(handle().interactive.keys.getKey("throttled-key")).rejects.toThrow();
    } finally {
      await stack.request(HSM, LOCAL_TOOL_CLIENT_ID, "PUT", "/emulator/faults", {});
    }
    await telemetry!.flush();
    // The interactive profile tries three times in all.
    expect(metricNamed("keyward.hsm.throttled")).toEqual([
      { attributes: { "keyward.hsm": HSM }, value: 3 },
    ]);
    const throttledSpans = spans().filter(
      (s) => s.name === "HSM GET /keys/{name}" && s.attributes["http.response.status_code"] === 429,
    );
    expect(throttledSpans).toHaveLength(3);
  });

  it("measures a sync by outcome, its HSM requests as the sync span's children", async () => {
    await measureSync(HSM, "full", async () => {
      await listRoleDefinitions(handle(), "interactive");
      return { errors: ["one key could not be read"] };
    });
    await expect(
      measureSync(HSM, "incremental", () => Promise.reject(new Error("the HSM went away"))),
    ).rejects.toThrow();
    await telemetry!.flush();
    const outcomes = metricNamed("keyward.sync.duration").map(
      (p) => p.attributes["keyward.sync.outcome"],
    );
    expect(outcomes).toEqual(expect.arrayContaining(["partial", "failed"]));
    const sync = spans().find(
      (s) => s.name === `sync ${HSM}` && s.attributes["keyward.sync.outcome"] === "partial",
    );
    expect(sync).toBeDefined();
    const children = spans().filter((s) => s.parentSpanId === sync!.spanId);
    expect(children.map((s) => s.name)).toContain(
      "HSM GET /providers/microsoft.authorization/roledefinitions",
    );
  });

  it("exports none of Next.js's spans, which carry raw URLs", async () => {
    // Next traces through the global API: with telemetry on it must still get a no-op tracer.
    const span = trace.getTracer("next.js").startSpan("GET /api/calendar/feed?token=feed-secret");
    span.setAttribute("http.target", "/api/calendar/feed?token=feed-secret");
    span.end();
    await telemetry!.flush();
    expect(JSON.stringify(received)).not.toContain("feed-secret");
  });

  it("reports the execution queue's depth and each HSM's backup age from the database", async () => {
    await db
      .insertInto("backup_run")
      .values({
        id: "run-1",
        hsm: HSM,
        trigger: "manual",
        schedule_name: null,
        scheduled_for: null,
        requested_by: null,
        state: "succeeded",
        container_url: "https://backups.example/weu",
        job_id: null,
        status_url: null,
        folder_url: null,
        error: null,
        started_at: NOW - 3_700_000,
        finished_at: NOW - 3_600_000,
        catalogued_at: null,
        folder_deleted_at: null,
        created_at: NOW - 3_700_000,
        updated_at: NOW - 3_600_000,
      })
      .execute();
    const request = (n: number, state: string) => ({
      id: `00000000-0000-4000-8000-00000000000${n}`,
      kind: "key.rotate",
      hsm: HSM,
      state,
      justification: "telemetry test",
      requester_id: "kim",
      requester_name: "Kim",
      owner_groups: "[]",
      policy: "{}",
      approvals_required: 1,
      approvals: 1,
      item_count: 1,
      summary: `request ${n}`,
      idempotency_key: `telemetry-${n}`,
      filed_at: NOW,
      expires_at: NOW + 3_600_000,
      updated_at: NOW,
      decided_at: null,
      finished_at: null,
      outcome: null,
    });
    // Approved and executing wait in the queue; pending and executed do not.
    await db
      .insertInto("change_request")
      .values([
        request(1, "approved"),
        request(2, "executing"),
        request(3, "pending"),
        request(4, "executed"),
      ])
      .execute();
    registerPortalGauges(
      () => Promise.resolve(db),
      [HSM, "never-backed-up"],
      () => NOW,
    );
    await telemetry!.flush();
    expect(metricNamed("keyward.backup.age")).toEqual([
      { attributes: { "keyward.hsm": HSM }, value: 3600 },
    ]);
    expect(metricNamed("keyward.requests.queue_depth").at(-1)?.value).toBe(2);
  });
});

describe("telemetry, without an endpoint", () => {
  it("starts nothing", async () => {
    const provider = metrics.getMeterProvider();
    expect(
      await startTelemetry(
        { endpoint: undefined, headers: {}, serviceName: "keyward", metricIntervalMs: 60_000 },
        "x",
      ),
    ).toBeUndefined();
    expect(metrics.getMeterProvider()).toBe(provider);
  });
});
