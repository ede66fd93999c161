import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { strFromU8, unzipSync, zipSync } from "fflate";
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AccessModel } from "@/lib/access/model";
import { appendBulkEvents } from "@/lib/audit/testing/bulk-chain";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { MANIFEST_FORMAT, manifestSchema, type ManifestFile } from "@/lib/evidence/manifest";
import { packChunks, type PackPlan } from "@/lib/evidence/pack";
import { readPack } from "@/lib/evidence/read-pack";
import { verifyPack, type KeySet } from "@/lib/evidence/verify-pack";

/*
 * A whole evidence pack from a seeded database, on SQLite and PostgreSQL: every file is there,
 * each holds the period's records and no others, the manifest's hashes match, the signature
 * verifies with the published key, and any altered, missing or added file is named.
 */

const DAY = 86_400_000;
const JAN = Date.UTC(2026, 0, 1);
const PERIOD = { from: JAN, to: JAN + 10 * DAY };
const NOW = JAN + 20 * DAY;
const GROUP = "7d5b0a44-0000-4000-8000-000000000001";
const MEMBER = "7d5b0a44-0000-4000-8000-000000000002";
const APP = "7d5b0a44-0000-4000-8000-000000000003";

const EXPECTED_FILES = [
  "inventory.csv",
  "rotation-compliance.csv",
  "access-matrix.csv",
  "sod-findings.json",
  "changes.csv",
  "backups.csv",
  "backup-days.csv",
  "out-of-band.csv",
  "access-reviews.csv",
  "audit-extract.jsonl",
  "audit-verification.json",
  "README.txt",
];

async function seed(db: Db) {
  const key = (name: string, created: number, versions: number, policy: object | null) => ({
    hsm: "weu",
    name_lower: name.toLowerCase(),
    name,
    version: `${name}-v${versions}`,
    kty: "RSA-HSM",
    family: "RSA" as const,
    key_size: 3072,
    curve: null,
    key_ops: JSON.stringify(["sign", "verify"]),
    enabled: 1 as const,
    exportable: 0 as const,
    managed: 0 as const,
    not_before: null,
    expires_at: created + 400 * DAY,
    created_at: created,
    updated_at: created,
    recovery_level: "Recoverable",
    tags: JSON.stringify({ env: "prod" }),
    owner: GROUP,
    version_count: versions,
    policy: policy && JSON.stringify(policy),
    policy_state: policy ? ("rotates" as const) : ("none" as const),
    next_rotation_at: null,
    deleted_at: null,
    scheduled_purge_at: null,
    recovery_id: null,
    detail_synced_at: created,
    attributes_read_at: created,
    search: name.toLowerCase(),
  });
  const rotate90 = {
    lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D", timeBeforeExpiry: null }],
    expiresIn: "P1Y",
    createdOn: null,
    updatedOn: null,
  };
  await db
    .insertInto("inventory_key")
    .values([
      key("payments", NOW - 10 * DAY, 3, rotate90),
      key("legacy", NOW - 200 * DAY, 1, rotate90),
      key("orders", NOW - 200 * DAY, 4, rotate90),
      key("no-policy", NOW - 5 * DAY, 1, null),
      { ...key("other-hsm", NOW, 1, null), hsm: "neu" },
    ])
    .execute();
  const request = (id: string, filedAt: number, hsm: string | null) => ({
    id,
    kind: "key.rotate",
    hsm,
    state: "executed",
    justification: `Rotate for ${id}`,
    requester_id: "kim",
    requester_name: "Kim Admin",
    owner_groups: "[]",
    policy: "{}",
    approvals_required: 1,
    approvals: 1,
    item_count: 1,
    summary: `Rotate ${id}`,
    idempotency_key: id,
    filed_at: filedAt,
    expires_at: filedAt + DAY,
    updated_at: filedAt,
    decided_at: filedAt + 1000,
    finished_at: filedAt + 2000,
    outcome: "succeeded",
  });
  await db
    .insertInto("change_request")
    .values([
      request("in-period", JAN + DAY, "weu"),
      request("portal-wide", JAN + 2 * DAY, null),
      request("other-hsm", JAN + DAY, "neu"),
      request("too-late", JAN + 11 * DAY, "weu"),
    ])
    .execute();
  await db
    .insertInto("change_request_decision")
    .values({
      request_id: "in-period",
      approver_id: "ann",
      approver_name: "Ann Approver",
      decision: "approve",
      comment: "checked the ticket",
      acknowledgement: null,
      at: JAN + DAY + 1000,
    })
    .execute();
  const run = (id: string, at: number, state: "succeeded" | "failed") => ({
    id,
    hsm: "weu",
    trigger: "schedule" as const,
    schedule_name: "nightly",
    scheduled_for: at,
    requested_by: null,
    state,
    container_url: "https://backups.example/weu",
    job_id: id,
    status_url: null,
    folder_url: null,
    error: state === "failed" ? "the HSM refused" : null,
    started_at: at,
    finished_at: at + 60_000,
    catalogued_at: null,
    folder_deleted_at: null,
    created_at: at,
    updated_at: at,
  });
  await db
    .insertInto("backup_run")
    .values([
      run("before", JAN - 3 * DAY, "succeeded"),
      run("day-2", JAN + 2 * DAY, "succeeded"),
      run("day-3", JAN + 3 * DAY, "failed"),
    ])
    .execute();
  const change = (id: string, hsm: string, firstSeen: number, state: "open" | "explained") => ({
    id,
    hsm,
    subject_kind: "key",
    subject_name: "payments",
    key_lower: "payments",
    what: "tags",
    before: JSON.stringify({ tags: { env: "prod" } }),
    after: JSON.stringify({ tags: { env: "dev" } }),
    sync_run_id: null,
    first_seen_at: firstSeen,
    state,
    explained_by: state === "explained" ? "kim" : null,
    explained_by_name: state === "explained" ? "Kim Admin" : null,
    explained_at: state === "explained" ? firstSeen + 1000 : null,
    reason: state === "explained" ? "the migration ticket" : null,
  });
  await db
    .insertInto("out_of_band_change")
    .values([
      change("in-period", "weu", JAN + 4 * DAY, "explained"),
      change("open-from-before", "weu", JAN - 5 * DAY, "open"),
      change("explained-before", "weu", JAN - 5 * DAY, "explained"),
      change("other-hsm", "neu", JAN + 4 * DAY, "open"),
    ])
    .execute();
  // 500 events from the period's first second, then 300 more after the period.
  await appendBulkEvents(db, 500, JAN);
  await appendBulkEvents(db, 300, JAN + 15 * DAY);
  const review = (id: string, started: number, ended: number | null, state: string) => ({
    id,
    hsm: "weu",
    open_hsm: state === "open" ? "weu" : null,
    state,
    note: `Review ${id}`,
    started_by: "kim",
    started_by_name: "Kim Admin",
    started_at: started,
    mirror_synced_at: started,
    item_count: 2,
    pending: state === "open" ? 2 : 0,
    ended_at: ended,
    ended_by: ended === null ? null : "ann",
    ended_by_name: ended === null ? null : "Ann Approver",
    cancel_reason: null,
  });
  await db
    .insertInto("access_review")
    .values([
      review("finished-before", JAN - 30 * DAY, JAN - 20 * DAY, "completed"),
      review("finished-in-period", JAN - 2 * DAY, JAN + 3 * DAY, "completed"),
      review("still-open", JAN + 5 * DAY, null, "open"),
      review("started-after", JAN + 15 * DAY, JAN + 16 * DAY, "cancelled"),
    ])
    .execute();
  const item = (reviewId: string, assignment: string, decision: string) => ({
    review_id: reviewId,
    assignment,
    position: assignment === "a1" ? 0 : 1,
    scope: "/keys/orders",
    role_definition_id: "r1",
    role_name: "Managed HSM Crypto User",
    principal_id: MEMBER,
    principal_name: "Mo Member",
    principal_type: "user",
    decision,
    decided_by: decision === "pending" ? null : "ann",
    decided_by_name: decision === "pending" ? null : "Ann Approver",
    decided_at: decision === "pending" ? null : JAN + 3 * DAY,
    comment: decision === "flagged" ? "Left the team in December" : null,
    request_id: decision === "flagged" ? "in-period" : null,
    already_removed: 0,
  });
  await db
    .insertInto("access_review_item")
    .values(
      ["finished-before", "finished-in-period", "still-open", "started-after"].flatMap((id) => [
        item(id, "a1", id === "still-open" || id === "started-after" ? "pending" : "confirmed"),
        item(id, "a2", id === "still-open" || id === "started-after" ? "pending" : "flagged"),
      ]),
    )
    .execute();
}

const model: AccessModel = {
  assignments: [
    { hsm: "weu", name: "a1", scope: "/keys/payments", roleDefinitionId: "user", principalId: APP },
    { hsm: "weu", name: "a2", scope: "/", roleDefinitionId: "officer", principalId: GROUP },
    { hsm: "neu", name: "a3", scope: "/", roleDefinitionId: "officer", principalId: GROUP },
  ],
  roles: [
    {
      hsm: "weu",
      id: "user",
      roleName: "Managed HSM Crypto User",
      roleType: "BuiltInRole",
      description: null,
      dataActions: [],
      notDataActions: [],
    },
    {
      hsm: "weu",
      id: "officer",
      roleName: "Managed HSM Crypto Officer",
      roleType: "BuiltInRole",
      description: null,
      dataActions: [],
      notDataActions: [],
    },
  ],
  principals: new Map([
    [
      GROUP,
      {
        id: GROUP,
        kind: "group",
        displayName: "Key team",
        detail: null,
        guest: false,
        status: "exists",
      },
    ],
    [
      MEMBER,
      {
        id: MEMBER,
        kind: "user",
        displayName: "Kim Admin",
        detail: null,
        guest: false,
        status: "exists",
      },
    ],
    [
      APP,
      {
        id: APP,
        kind: "servicePrincipal",
        displayName: "payments-api",
        detail: null,
        guest: false,
        status: "exists",
      },
    ],
  ]),
  groupMembers: new Map([[GROUP, [MEMBER]]]),
  portalRoleHolders: [],
};

async function writePack(plan: PackPlan, file: string): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  const chunks: Uint8Array[] = [];
  for await (const chunk of packChunks(plan, files)) chunks.push(chunk);
  fs.writeFileSync(file, Buffer.concat(chunks));
  return files;
}

const csvRows = (text: string) => text.trimEnd().split("\r\n");

describe.each(availableDialects())("the evidence pack on %s", (dialect) => {
  let database: TestDatabase;
  let keySet: KeySet;
  let files: Record<string, string>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-evidence-"));
  const packFile = path.join(dir, "pack.zip");

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const db = await database.openMigrated();
    await seed(db);
    const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    keySet = { keys: [{ kty: "OKP", crv: "Ed25519", x: jwk.x!, kid }] };
    await writePack(
      {
        db,
        period: PERIOD,
        hsms: ["weu"],
        now: NOW,
        signer: { kid, privateKey },
        base: {
          format: MANIFEST_FORMAT,
          generatedAt: new Date(NOW).toISOString(),
          period: {
            from: new Date(PERIOD.from).toISOString(),
            to: new Date(PERIOD.to).toISOString(),
          },
          hsms: ["weu"],
          portal: { version: "0.1.0", url: "https://keyward.example" },
          exporter: { id: "auditor-1", name: "Avery Auditor" },
          auditEvent: { seq: 801, hash: "f".repeat(64) },
        },
        sod: () => Promise.resolve({ model, findings: [], now: NOW }),
        verification: () => Promise.resolve({ ok: true, events: 800 }),
      },
      packFile,
    );
    files = Object.fromEntries(
      Object.entries(unzipSync(fs.readFileSync(packFile))).map(([name, bytes]) => [
        name,
        strFromU8(bytes),
      ]),
    );
  }, 60_000);
  afterAll(() => database?.dispose());

  it("holds every file, signed: the manifest lists each with its hash, the signature verifies", async () => {
    expect(Object.keys(files).sort()).toEqual(
      [...EXPECTED_FILES, "manifest.json", "manifest.json.jws"].sort(),
    );
    const manifest = manifestSchema.parse(JSON.parse(files["manifest.json"]!));
    expect(manifest.files.map((f) => f.name)).toEqual(EXPECTED_FILES);
    const verification = await verifyPack(await readPack(packFile), keySet);
    expect(verification).toMatchObject({ ok: true, kid: keySet.keys[0]!.kid, problems: [] });
  });

  it("holds the period's records for the chosen HSMs and nothing else", () => {
    const inventory = csvRows(files["inventory.csv"]!);
    expect(inventory.map((row) => row.split(",")[1])).toEqual([
      "name",
      "legacy",
      "no-policy",
      "orders",
      "payments",
    ]);
    const compliance = Object.fromEntries(
      csvRows(files["rotation-compliance.csv"]!)
        .slice(1)
        .map((row): [string, string] => [row.split(",")[1]!, row.split(",")[6]!]),
    );
    expect(compliance).toEqual({
      legacy: "never-rotated",
      "no-policy": "no-policy",
      orders: "late",
      payments: "on-time",
    });
    const changes = csvRows(files["changes.csv"]!).slice(1);
    expect(changes.map((row) => row.split(",")[0])).toEqual(["in-period", "portal-wide"]);
    expect(changes[0]).toContain(
      "Ann Approver (ann) approve 2026-01-02T00:00:01.000Z: checked the ticket",
    );
    const matrix = csvRows(files["access-matrix.csv"]!).slice(1);
    expect(matrix).toEqual([
      "weu,*,/,Managed HSM Crypto Officer,BuiltInRole,Key team,group,7d5b0a44-0000-4000-8000-000000000001,direct,,a2",
      "weu,*,/,Managed HSM Crypto Officer,BuiltInRole,Kim Admin,user,7d5b0a44-0000-4000-8000-000000000002,group Key team,7d5b0a44-0000-4000-8000-000000000001,a2",
      "weu,payments,/keys/payments,Managed HSM Crypto User,BuiltInRole,payments-api,servicePrincipal,7d5b0a44-0000-4000-8000-000000000003,direct,,a1",
    ]);
    expect(
      csvRows(files["backups.csv"]!)
        .slice(1)
        .map((row) => row.split(",")[0]),
    ).toEqual(["day-2", "day-3"]);
    const days = csvRows(files["backup-days.csv"]!).slice(1);
    expect(days).toHaveLength(10);
    expect(days[0]).toBe("2026-01-01,weu,0,0,0,2025-12-29T00:01:00.000Z,96");
    expect(days[3]).toBe("2026-01-04,weu,0,1,0,2026-01-03T00:01:00.000Z,48");
    const outOfBand = csvRows(files["out-of-band.csv"]!).slice(1);
    expect(outOfBand.map((row) => row.split(",")[0])).toEqual(["open-from-before", "in-period"]);
    expect(outOfBand[1]).toContain("Kim Admin");
    expect(outOfBand[1]).toContain("the migration ticket");
    const reviews = csvRows(files["access-reviews.csv"]!);
    expect(reviews[0]).toBe(
      "review,hsm,review_state,started,started_by,ended,ended_by,assignment,scope,role,principal_id,principal,principal_type,decision,decided_by,decided_at,comment,removal_request,removal_request_state,already_removed",
    );
    expect(
      reviews.slice(1).map((row) => row.split(",").slice(0, 3).concat(row.split(",")[13]!)),
    ).toEqual([
      ["finished-in-period", "weu", "completed", "confirmed"],
      ["finished-in-period", "weu", "completed", "flagged"],
      ["still-open", "weu", "open", "pending"],
      ["still-open", "weu", "open", "pending"],
    ]);
    expect(reviews[2]).toContain("Left the team in December,in-period,");
    const events = files["audit-extract.jsonl"]!.trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { seq: number; at: string });
    expect(events[0]).toMatchObject({ seq: 1, at: "2026-01-01T00:00:00.000Z" });
    expect(events.every((e) => Date.parse(e.at) < PERIOD.to)).toBe(true);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events).toHaveLength(500);
    expect(files["README.txt"]).toContain("npm run evidence:verify pack.zip");
  });

  it.each([
    [
      "an altered file",
      (entries: Record<string, Uint8Array>) => {
        entries["changes.csv"] = new TextEncoder().encode(
          files["changes.csv"]!.replace("Ann Approver", "Eve"),
        );
      },
      "changes.csv",
      "has been altered",
    ],
    [
      "a missing file",
      (entries: Record<string, Uint8Array>) => {
        delete entries["audit-extract.jsonl"];
      },
      "audit-extract.jsonl",
      "is listed in the manifest but missing",
    ],
    [
      "an added file",
      (entries: Record<string, Uint8Array>) => {
        entries["extra.csv"] = new Uint8Array([1]);
      },
      "extra.csv",
      "is not listed in the manifest",
    ],
    [
      "an edited manifest",
      (entries: Record<string, Uint8Array>) => {
        entries["manifest.json"] = new TextEncoder().encode(
          files["manifest.json"]!.replace("Avery", "Eve"),
        );
      },
      "manifest.json",
      "is not the manifest the signature covers",
    ],
  ])("names the file when a pack has %s", async (_what, tamper, file, problem) => {
    const entries = unzipSync(fs.readFileSync(packFile));
    tamper(entries);
    const tampered = path.join(dir, `tampered-${file}.zip`);
    fs.writeFileSync(tampered, zipSync(entries));
    const verification = await verifyPack(await readPack(tampered), keySet);
    expect(verification.ok).toBe(false);
    expect(verification.problems).toContainEqual({
      file,
      problem: expect.stringContaining(problem) as string,
    });
  });

  it("npm run evidence:verify says the same from a shell: 0 for the pack, 1 naming an altered file", async () => {
    const keysFile = path.join(dir, "audit-keys.json");
    fs.writeFileSync(keysFile, JSON.stringify(keySet));
    const entries = unzipSync(fs.readFileSync(packFile));
    entries["inventory.csv"] = new TextEncoder().encode("hsm,name\r\n");
    const tampered = path.join(dir, "tampered-cli.zip");
    fs.writeFileSync(tampered, zipSync(entries));
    const run = (...args: string[]) =>
      new Promise<{ code: number; out: string }>((resolve) =>
        execFile(
          process.execPath,
          ["--conditions=react-server", "--import", "tsx", "scripts/evidence-verify.ts", ...args],
          (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code) : 0, out: stdout + stderr }),
        ),
      );
    const good = await run(packFile, "--keys", keysFile);
    expect(good.code, good.out).toBe(0);
    expect(JSON.parse(good.out)).toMatchObject({ ok: true, files: EXPECTED_FILES.length });
    const bad = await run(tampered, "--keys", keysFile);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({
      ok: false,
      problems: [
        { file: "inventory.csv", problem: expect.stringContaining("has been altered") as string },
      ],
    });
    const usage = await run(packFile);
    expect(usage.code).toBe(2);
    expect(usage.out).toContain("--keys");
  }, 60_000);

  it("README.txt's openssl commands verify the pack by hand, and fail on an altered file", async () => {
    const readme = files["README.txt"]!;
    const commands = readme
      .slice(readme.indexOf("2. By hand"), readme.indexOf("openssl prints"))
      .split("\n")
      .slice(1)
      .join("\n");
    const unpacked = path.join(dir, "by-hand");
    fs.mkdirSync(unpacked, { recursive: true });
    for (const [name, text] of Object.entries(files))
      fs.writeFileSync(path.join(unpacked, name), text);
    fs.writeFileSync(path.join(unpacked, "audit-keys.json"), JSON.stringify(keySet));
    const bash = (script: string) =>
      new Promise<{ code: number; out: string }>((resolve) =>
        execFile(
          "bash",
          ["-euo", "pipefail", "-c", script],
          { cwd: unpacked },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code) : 0, out: stdout + stderr }),
        ),
      );
    const good = await bash(commands);
    expect(good.code, good.out).toBe(0);
    expect(good.out).toContain("Signature Verified Successfully");
    expect(good.out).toContain("changes.csv: OK");
    fs.appendFileSync(path.join(unpacked, "changes.csv"), "forged,row\r\n");
    const bad = await bash(commands);
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain("changes.csv: FAILED");
  });

  it("refuses a pack signed by a key the portal does not publish", async () => {
    const { publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const other = await exportJWK(publicKey);
    const verification = await verifyPack(await readPack(packFile), {
      keys: [{ kty: "OKP", crv: "Ed25519", x: other.x! }],
    });
    expect(verification.ok).toBe(false);
    expect(verification.problems[0]).toMatchObject({
      file: "manifest.json.jws",
      problem: expect.stringContaining("not among the trusted keys") as string,
    });
  });
});
