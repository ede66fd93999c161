import { randomUUID } from "node:crypto";
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { rawRequest } from "@keyward/local-https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BUILT_IN_ROLE_IDS } from "../src/rbac/builtin-roles";
import { startTestStack, type TestStack } from "../src/testing";
import { containerSas as sasFor, startBlobService } from "./azurite";

/*
 * Full backup, full restore and selective key restore as long-running operations, into a real
 * Azurite container through a SAS token, and the errors the service gives.
 */

const HSM = "backup-weu";
const OTHER_DOMAIN = "backup-other";
let stack: TestStack;
let azurite: Awaited<ReturnType<typeof startBlobService>>;
let containerUrl: string;
let sas: string;

type Operation = {
  status: string;
  error: { code: string; message: string } | null;
  azureStorageBlobContainerUri?: string;
  jobId: string;
};

const admin = (method: string, path: string, body?: unknown, hsm = HSM) =>
  stack.request(hsm, stack.toolClientId, method, path, body);

async function untilDone(response: Awaited<ReturnType<typeof admin>>): Promise<Operation> {
  expect(response.status).toBe(202);
  const statusUrl = response.headers["azure-asyncoperation"] as string;
  expect(statusUrl).toMatch(/\/(backup|restore)\/[0-9a-f]{32}\/pending$/);
  expect(response.headers["retry-after"]).toBe("1");
  const token = (await stack
    .credential(stack.toolClientId)
    .getToken("https://managedhsm.azure.net/.default"))!.token;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    // Clients poll the status URL verbatim, without api-version.
    const status = await rawRequest(statusUrl, "GET", { caPem: stack.caPem, token });
    const operation = status.body as Operation;
    if (operation.status !== "InProgress") return operation;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the operation did not finish");
}

beforeAll(async () => {
  stack = await startTestStack([
    { name: HSM, region: "West Europe" },
    { name: OTHER_DOMAIN, region: "North Europe", securityDomain: "another-domain" },
  ]);
  const tool = stack.principalOf(stack.toolClientId);
  for (const hsm of [HSM, OTHER_DOMAIN]) await stack.grant(hsm, tool, BUILT_IN_ROLE_IDS.cryptoUser);
  await stack.grant(HSM, tool, BUILT_IN_ROLE_IDS.cryptoOfficer);
  azurite = await startBlobService(path.join(stack.dataDir, "azurite"));
  ({ url: containerUrl, sas } = await azurite.createContainer("hsm-backups"));
  for (const name of ["alpha", "beta", "gamma"])
    expect(
      (await admin("POST", `/keys/${name}/create`, { kty: "EC", tags: { app: name } })).status,
    ).toBe(200);
}, 60_000);

afterAll(async () => {
  await azurite?.stop();
  await stack?.close();
});

async function backup(): Promise<string> {
  const done = await untilDone(
    await admin("POST", "/backup", { storageResourceUri: containerUrl, token: sas }),
  );
  expect(done).toMatchObject({ status: "Succeeded", error: null });
  return done.azureStorageBlobContainerUri!.split("/").at(-1)!;
}

describe("full backup", () => {
  it("writes a folder named like the real service's into the container", async () => {
    const folder = await backup();
    expect(folder).toMatch(new RegExp(`^mhsm-${HSM}-\\d{17}$`));
    const blobs: string[] = [];
    for await (const blob of new BlobServiceClient(`${azurite.endpoint}?${sas}`)
      .getContainerClient("hsm-backups")
      .listBlobsFlat())
      blobs.push(blob.name);
    expect(blobs).toContain(`${folder}/backup.blob`);
  });

  it.each([
    [
      "a container that does not exist",
      () => ({
        storageResourceUri: `${azurite.endpoint}/no-such-container`,
        token: sasFor("no-such-container"),
      }),
      "ContainerNotFound",
    ],
    [
      "a tampered SAS signature",
      () => ({ storageResourceUri: containerUrl, token: sas.replace(/sig=[^&]+/, "sig=AAAA") }),
      "AuthorizationFailure",
    ],
  ])("fails the job for %s, naming the cause", async (_name, body, code) => {
    const done = await untilDone(await admin("POST", "/backup", body()));
    expect(done.status).toBe("Failed");
    expect(done.error?.code).toMatch(new RegExp(code.slice(0, 12)));
  });

  it("refuses to start while another backup or restore runs", async () => {
    const ctx = stack.emulator.contexts.get(HSM)!;
    ctx.db
      .prepare(
        "insert into job (hsm, job_id, kind, status, start_time) values (?, ?, 'backup', 'InProgress', 0)",
      )
      .run(HSM, "f".repeat(32));
    try {
      const response = await admin("POST", "/backup", {
        storageResourceUri: containerUrl,
        token: sas,
      });
      expect(response.status).toBe(409);
      expect((response.body as { error: { code: string } }).error.code).toBe("Conflict");
    } finally {
      ctx.db.prepare("delete from job where job_id = ?").run("f".repeat(32));
    }
  });

  it("pre-checks a container it can write to, and one it cannot", async () => {
    expect(
      await untilDone(
        await admin("POST", "/prebackup", { storageResourceUri: containerUrl, token: sas }),
      ),
    ).toMatchObject({ status: "Succeeded" });
    const missing = await untilDone(
      await admin("POST", "/prebackup", {
        storageResourceUri: `${azurite.endpoint}/gone`,
        token: sasFor("gone"),
      }),
    );
    expect(missing).toMatchObject({ status: "Failed", error: { code: "ContainerNotFound" } });
  });

  it("refuses a request without a SAS token", async () => {
    expect((await admin("POST", "/backup", { storageResourceUri: containerUrl })).status).toBe(400);
  });
});

describe("restore", () => {
  it("restores the whole HSM, keys and role assignments, from a folder", async () => {
    const assignment = await stack.grant(
      HSM,
      randomUUID(),
      BUILT_IN_ROLE_IDS.cryptoAuditor,
      "/keys/beta",
    );
    const folder = await backup();
    await admin("DELETE", "/keys/alpha");
    await admin(
      "DELETE",
      `/keys/beta/providers/Microsoft.Authorization/roleAssignments/${assignment}`,
    );
    expect((await admin("POST", "/keys/delta/create", { kty: "EC" })).status).toBe(200);

    const done = await untilDone(
      await admin("PUT", "/restore", {
        sasTokenParameters: { storageResourceUri: containerUrl, token: sas },
        folderToRestore: folder,
      }),
    );
    expect(done).toMatchObject({ status: "Succeeded", error: null });
    expect((await admin("GET", "/keys/alpha")).body).toMatchObject({ tags: { app: "alpha" } });
    expect((await admin("GET", "/keys/delta")).status).toBe(404);
    expect(
      (
        await admin(
          "GET",
          `/keys/beta/providers/Microsoft.Authorization/roleAssignments/${assignment}`,
        )
      ).status,
    ).toBe(200);
  });

  it("restores one purged key from a full backup", async () => {
    const folder = await backup();
    await admin("DELETE", "/keys/gamma");
    const early = await admin("PUT", "/keys/gamma/restore", {
      sasTokenParameters: { storageResourceUri: containerUrl, token: sas },
      folder,
    });
    expect(early.status).toBe(409);
    expect((await admin("DELETE", "/deletedkeys/gamma")).status).toBe(204);
    const done = await untilDone(
      await admin("PUT", "/keys/gamma/restore", {
        sasTokenParameters: { storageResourceUri: containerUrl, token: sas },
        folder,
      }),
    );
    expect(done).toMatchObject({ status: "Succeeded" });
    expect((await admin("GET", "/keys/gamma")).body).toMatchObject({ tags: { app: "gamma" } });
  });

  it("fails to restore a backup of another security domain", async () => {
    const folder = await backup();
    const done = await untilDone(
      await admin(
        "PUT",
        "/restore",
        {
          sasTokenParameters: { storageResourceUri: containerUrl, token: sas },
          folderToRestore: folder,
        },
        OTHER_DOMAIN,
      ),
    );
    expect(done).toMatchObject({ status: "Failed", error: { code: "SecurityDomainMismatch" } });
  });

  it("fails to restore a folder that does not exist", async () => {
    const done = await untilDone(
      await admin("PUT", "/restore", {
        sasTokenParameters: { storageResourceUri: containerUrl, token: sas },
        folderToRestore: "mhsm-nothing-here",
      }),
    );
    expect(done.status).toBe("Failed");
  });
});
