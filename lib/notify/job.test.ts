import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { getDb } from "@/lib/db/client";
import { loadEnv } from "@/lib/env";
import { configuredWebhooks, kickNotifications, requestNotify } from "@/lib/notify/job";
import { enqueueNotification } from "@/lib/notify/outbox";
import { verifySignature } from "@/lib/notify/signature";

/*
 * The delivery job as the portal runs it: configured from the environment, kicked after an
 * enqueue, serialised in the process. It has its own data directory, so its own SQLite database.
 */

const SECRET = "job-test-secret-0123456789abcdefghij";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-notify-job-"));
const received: { body: string; signature: string }[] = [];
let server: http.Server;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        body: Buffer.concat(chunks).toString("utf8"),
        signature: String(req.headers["keyward-signature"]),
      });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  vi.stubEnv("KEYWARD_DATA_DIR", dataDir);
  vi.stubEnv("KEYWARD_PUBLIC_URL", "https://keyward.example");
  vi.stubEnv(
    "KEYWARD_NOTIFY_WEBHOOK_URL",
    `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
  );
  vi.stubEnv("KEYWARD_NOTIFY_WEBHOOK_SECRET", SECRET);
});

afterAll(async () => {
  await (await getDb()).destroy();
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the notification job", () => {
  it("reads the webhooks and the request notifications' settings from the configuration", () => {
    const env = loadEnv({
      KEYWARD_REMINDER_WEBHOOK_URL: "https://hooks.contoso.com/r",
      KEYWARD_NOTIFY_WEBHOOK_URL: "https://hooks.contoso.com/n",
      KEYWARD_NOTIFY_WEBHOOK_SECRET: SECRET,
    });
    expect(configuredWebhooks(env)).toEqual({
      reminder: { url: "https://hooks.contoso.com/r", secret: undefined },
      notify: { url: "https://hooks.contoso.com/n", secret: SECRET },
    });
    expect(requestNotify(env)).toEqual({ publicUrl: "http://localhost:3000" });
    expect(configuredWebhooks(loadEnv({}))).toEqual({});
    expect(requestNotify(loadEnv({}))).toBeUndefined();
  });

  it("posts what was queued when kicked, once however often it is kicked", async () => {
    const db = await getDb();
    const payload = { type: "keyward.request.filed", id: "job-1" };
    await db
      .transaction()
      .execute((trx) => enqueueNotification(trx, { id: "job-1", kind: payload.type, payload }));
    await Promise.all([kickNotifications(), kickNotifications(), kickNotifications()]);
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body)).toEqual(payload);
    expect(verifySignature(SECRET, received[0]!.body, received[0]!.signature, Date.now())).toEqual({
      ok: true,
    });
    const row = await db
      .selectFrom("notification")
      .selectAll()
      .where("id", "=", "job-1")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "sent", attempts: 1, last_status: 202 });
  });
});
