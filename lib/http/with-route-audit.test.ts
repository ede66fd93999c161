import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { auditedTransaction } from "@/lib/audit/service";
import { takeLease } from "@/lib/audit/testing/changes";
import { getAuthConfig } from "@/lib/auth/config";
import { SESSION_COOKIE } from "@/lib/auth/constants";
import { createSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { withRoute } from "@/lib/http/with-route";

/*
 * What withRoute writes to the audit log, against a real SQLite database and real sessions: one
 * event per cookie-authenticated call of a route that changes something, whatever its outcome.
 * It has its own data directory, so its own SQLite database.
 */

const PUBLIC_URL = "https://keyward.example";
const CHANGES_PER_MINUTE = 3;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-with-route-audit-"));

beforeAll(() => {
  // The local mode's sign-in settings come from files the launcher writes; these are enough to
  // resolve sessions (nothing here signs in through an identity provider).
  fs.mkdirSync(path.join(dataDir, "tls"));
  fs.writeFileSync(path.join(dataDir, "tls", "ca.pem"), "unused by these tests\n");
  const secret = "s".repeat(40);
  fs.writeFileSync(
    path.join(dataDir, "secrets.json"),
    JSON.stringify({
      version: 1,
      portalClientSecret: secret,
      toolClientSecret: secret,
      sessionKeys: [Buffer.alloc(32, 7).toString("base64")],
      idp: { signingKey: {}, cookieKeys: [secret], passwords: {} },
    }),
  );
  vi.stubEnv("KEYWARD_DATA_DIR", dataDir);
  vi.stubEnv("KEYWARD_PUBLIC_URL", PUBLIC_URL);
  vi.stubEnv("KEYWARD_SESSION_CHANGES_PER_MINUTE", String(CHANGES_PER_MINUTE));
});

afterAll(async () => {
  await (await getDb()).destroy();
  vi.unstubAllEnvs();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const changeInDatabase = withRoute({
  access: { permission: "sod.configure" },
  audit: { action: "test.lease.take" },
  schemas: { body: z.object({ name: z.string().min(3) }) },
  handler: async ({ body, audit }) => {
    await auditedTransaction(
      audit,
      (trx) => takeLease(trx, body.name),
      (name) => ({ target: { lease: name } }),
    );
    return new Response(null, { status: 201 });
  },
});

const exportLike = withRoute({
  access: "session",
  audit: { action: "test.export" },
  handler: () => Promise.resolve(new Response("evidence", { status: 200 })),
});

const signOutLike = withRoute({
  access: "public",
  audit: { action: "test.session.end" },
  handler: () => Promise.resolve(new Response(null, { status: 204 })),
});

const changeElsewhere = withRoute({
  access: "session",
  audit: { action: "test.elsewhere.poke" },
  handler: () => Promise.resolve(new Response(null, { status: 204 })),
});

async function signedIn(roles: string[]) {
  const { token } = await createSession(
    await getDb(),
    {
      userOid: "1d6e5b7a-0c2f-4e3a-9b8c-7d6e5f4a3b2c",
      tenantId: "5f1c7f0e-2a4b-4c7d-9e8f-0a1b2c3d4e5f",
      displayName: "Kim Admin",
      username: "kim@keyward.test",
      roles,
      groups: [],
      authTime: Date.now(),
      userAgent: "vitest",
      sealedTokenCache: "",
    },
    getAuthConfig().session,
  );
  return token;
}

function call(
  route: ReturnType<typeof withRoute>,
  {
    token,
    origin = PUBLIC_URL,
    method = "POST",
    body = '{"name":"abc"}',
  }: {
    token?: string;
    origin?: string;
    method?: string;
    body?: string;
  },
) {
  const headers: Record<string, string> = { "content-type": "application/json", origin };
  if (token) headers.cookie = `${SESSION_COOKIE}=${token}`;
  const request = new NextRequest(`${PUBLIC_URL}/api/test`, {
    method,
    headers,
    body: method === "GET" ? undefined : body,
  });
  return route(request, { params: Promise.resolve({}) });
}

async function eventsAfter(seq: number) {
  const rows = await (
    await getDb()
  )
    .selectFrom("audit_event")
    .selectAll()
    .where("seq", ">", seq)
    .orderBy("seq")
    .execute();
  return rows.map((row) => ({
    action: row.action,
    outcome: row.outcome,
    actor: JSON.parse(row.actor) as unknown,
    target: JSON.parse(row.target) as unknown,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    requestId: row.request_id,
  }));
}

async function headSeq() {
  const head = await (
    await getDb()
  )
    .selectFrom("audit_head")
    .select("seq")
    .executeTakeFirstOrThrow();
  return head.seq;
}

const KIM = { type: "user", id: "1d6e5b7a-0c2f-4e3a-9b8c-7d6e5f4a3b2c", name: "Kim Admin" };

describe("withRoute's audit events", () => {
  it("records a change once, in the change's own transaction, with the request id", async () => {
    const token = await signedIn(["Keyward.KeyAdmin"]);
    const before = await headSeq();
    const response = await call(changeInDatabase, { token, body: '{"name":"lease-one"}' });
    expect(response.status).toBe(201);
    expect(await eventsAfter(before)).toEqual([
      {
        action: "test.lease.take",
        outcome: "succeeded",
        actor: KIM,
        target: { lease: "lease-one" },
        detail: {},
        requestId: response.headers.get("x-request-id"),
      },
    ]);
  });

  it("records a change made outside the database after the handler", async () => {
    const token = await signedIn(["Keyward.Auditor"]);
    const before = await headSeq();
    expect((await call(changeElsewhere, { token })).status).toBe(204);
    expect(await eventsAfter(before)).toMatchObject([
      { action: "test.elsewhere.poke", outcome: "succeeded", target: { path: "/api/test" } },
    ]);
  });

  it.each([
    ["a foreign origin", ["Keyward.KeyAdmin"], { origin: "https://evil.example" }, 403, "denied"],
    ["a role without the permission", ["Keyward.Auditor"], {}, 403, "denied"],
    ["invalid input", ["Keyward.KeyAdmin"], { body: '{"name":"x"}' }, 422, "failed"],
    [
      "a conflict in the change",
      ["Keyward.KeyAdmin"],
      { body: '{"name":"lease-one"}' },
      500,
      "failed",
    ],
  ] as const)("records %s as %s", async (_name, roles, init, status, outcome) => {
    const token = await signedIn([...roles]);
    const before = await headSeq();
    const response = await call(changeInDatabase, { token, ...init });
    expect(response.status).toBe(status);
    const events = await eventsAfter(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "test.lease.take",
      outcome,
      actor: KIM,
      detail: { status },
    });
  });

  it("records nothing for a cookie that names no session, which anyone could send unendingly", async () => {
    const before = await headSeq();
    expect((await call(changeInDatabase, { token: "A".repeat(43) })).status).toBe(401);
    expect((await call(changeInDatabase, { token: "not-a-token" })).status).toBe(401);
    expect((await call(signOutLike, { token: "A".repeat(43) })).status).toBe(204);
    expect(await eventsAfter(before)).toEqual([]);
  });

  it("records nothing without a session cookie, and nothing for a read", async () => {
    const token = await signedIn(["Keyward.KeyAdmin"]);
    const before = await headSeq();
    expect((await call(changeInDatabase, {})).status).toBe(401);
    expect((await call(changeElsewhere, { token, method: "GET" })).status).toBe(204);
    expect(await eventsAfter(before)).toEqual([]);
  });

  it("refuses a session's changes past its limit per minute, as denied, and leaves reads and sign-out open", async () => {
    const token = await signedIn(["Keyward.Auditor"]);
    // Refusals count too: a change from a foreign origin is one of the session's changes.
    expect((await call(changeElsewhere, { token, origin: "https://evil.example" })).status).toBe(
      403,
    );
    for (let n = 1; n < CHANGES_PER_MINUTE; n += 1)
      expect((await call(changeElsewhere, { token })).status).toBe(204);
    const before = await headSeq();
    const refused = await call(changeElsewhere, { token });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(await refused.json()).toMatchObject({
      status: 429,
      detail: expect.stringMatching(/more than 3 changes in a minute/) as unknown,
    });
    // The flood that follows is refused as well, and recorded once: by the first refusal.
    expect((await call(changeElsewhere, { token })).status).toBe(429);
    expect((await call(changeInDatabase, { token })).status).toBe(429);
    expect(await eventsAfter(before)).toMatchObject([
      { action: "test.elsewhere.poke", outcome: "denied", detail: { status: 429 } },
    ]);
    expect(await eventsAfter(before)).toHaveLength(1);
    expect((await call(changeElsewhere, { token, method: "GET" })).status).toBe(204);
    expect((await call(signOutLike, { token })).status).toBe(204);
    // Another session of the same person has its own count.
    expect(
      (await call(changeElsewhere, { token: await signedIn(["Keyward.Auditor"]) })).status,
    ).toBe(204);
  });

  it("refuses a recorded read sent from another site, which a link there could trigger", async () => {
    const token = await signedIn(["Keyward.Auditor"]);
    const read = (site?: string) => {
      const headers: Record<string, string> = { cookie: `${SESSION_COOKIE}=${token}` };
      if (site) headers["sec-fetch-site"] = site;
      return exportLike(new NextRequest(`${PUBLIC_URL}/api/export`, { headers }), {
        params: Promise.resolve({}),
      });
    };
    expect((await read("cross-site")).status).toBe(403);
    expect((await read("same-site")).status).toBe(403);
    expect((await read("same-origin")).status).toBe(200);
    expect((await read("none")).status).toBe(200);
    expect((await read()).status).toBe(200);
    // A public recorded read is the sign-in's callback: the identity provider's redirect to it
    // is always cross-site.
    const callbackLike = withRoute({
      access: "public",
      audit: { action: "test.sign-in" },
      handler: () => Promise.resolve(new Response(null, { status: 204 })),
    });
    const callback = new NextRequest(`${PUBLIC_URL}/api/auth/callback`, {
      headers: { cookie: "__Host-keyward-signin=sealed", "sec-fetch-site": "cross-site" },
    });
    expect((await callbackLike(callback, { params: Promise.resolve({}) })).status).toBe(204);
  });
});
