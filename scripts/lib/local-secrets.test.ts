import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadDirectory } from "@keyward/identity-provider";
import { calculateJwkThumbprint } from "jose";
import { afterEach, describe, expect, it } from "vitest";

import { localSecretsPath, readLocalSecrets } from "@/lib/local-secrets";

import { ensureLocalSecrets } from "./local-secrets";

const dirs: string[] = [];
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-secrets-"));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the launcher's local secrets", () => {
  it("hold an Ed25519 audit signing key named by its thumbprint, kept across starts", async () => {
    const dir = dataDir();
    const first = await ensureLocalSecrets(dir, loadDirectory());
    const key = first.auditSigningKey!;
    expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519" });
    expect(key.kid).toBe(await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: key.x }));
    expect((await ensureLocalSecrets(dir, loadDirectory())).auditSigningKey).toEqual(key);
    expect(fs.statSync(localSecretsPath(dir)).mode & 0o777).toBe(0o600);
  });

  it("add the audit signing key to a secrets.json written before it existed, keeping the rest", async () => {
    const dir = dataDir();
    const { auditSigningKey: _dropped, ...older } = await ensureLocalSecrets(dir, loadDirectory());
    fs.writeFileSync(localSecretsPath(dir), JSON.stringify(older), { mode: 0o600 });

    const completed = await ensureLocalSecrets(dir, loadDirectory());
    expect(completed.auditSigningKey?.kid).toEqual(expect.any(String));
    expect(completed).toMatchObject(older);
    expect(readLocalSecrets(dir).auditSigningKey).toEqual(completed.auditSigningKey);
  });
});
