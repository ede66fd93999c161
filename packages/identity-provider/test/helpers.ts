import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadLocalTls, type ClientCertificate, type RawResponse } from "@keyward/local-https";
import { importPKCS8, SignJWT } from "jose";
import { expect } from "vitest";

import type { Directory } from "../src/directory";
import { completeSecrets } from "../src/secrets";
import { startIdentityProvider, type IdentityProviderOptions } from "../src/server";

/** The portal URL the tests' provider redirects to (nothing listens there). */
export const TEST_PORTAL_URL = "http://localhost:3999";

/** The provider in this process on free ports, with fresh secrets and a data folder of its own. */
export async function startTestProvider(
  directory: Directory,
  options: Partial<IdentityProviderOptions> = {},
) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "identity-provider-test-"));
  const tls = await loadLocalTls(dataDir);
  const { secrets } = await completeSecrets(directory);
  const idp = await startIdentityProvider({
    secrets,
    tls: tls.server,
    port: 0,
    loginPort: 0,
    portalUrl: TEST_PORTAL_URL,
    logLevel: "silent",
    ...options,
  });
  return {
    idp,
    secrets,
    caPem: tls.caPem,
    close: async () => {
      await idp.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The identity-provider command, as another project runs it, on free ports with its data in
 * `dataDir`, once its output says `ready`; the caller stops it (SIGTERM).
 */
export async function startCommand(
  dataDir: string,
  args: string[],
  ready: string,
): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(
    process.execPath,
    [
      path.resolve(import.meta.dirname, "..", "bin", "identity-provider.js"),
      ...["--port", "0", "--login-port", "0", "--data-dir", dataDir, "--log-level", "warn"],
      ...args,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes(ready)) resolve();
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code}: ${output}`)));
  }).catch((error: unknown) => {
    child.kill("SIGTERM");
    throw error;
  });
  return { child, output };
}

export interface AssertionOptions {
  clientId: string;
  audience: string;
  /** Signs with this certificate's key... */
  signer: ClientCertificate;
  /** ...while naming this one (default: the signer). */
  named?: ClientCertificate;
  expiresIn?: number;
  jti?: string;
  alg?: "PS256" | "RS256";
  /** The chain in the header's x5c (base64 DER), as MSAL sends it; none by default. */
  x5c?: string[];
}

/** A client assertion as MSAL writes one from a certificate (ClientAssertion.createJwt). */
export async function certificateAssertion(options: AssertionOptions): Promise<string> {
  const alg = options.alg ?? "PS256";
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({
      alg,
      typ: "JWT",
      "x5t#S256": (options.named ?? options.signer).thumbprintSha256,
      ...(options.x5c ? { x5c: options.x5c } : {}),
    })
    .setIssuer(options.clientId)
    .setSubject(options.clientId)
    .setAudience(options.audience)
    .setNotBefore(now)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 600))
    .setJti(options.jti ?? crypto.randomUUID())
    .sign(await importPKCS8(options.signer.privateKeyPem, alg));
}

/** A token request's client authentication by assertion. */
export const assertionForm = (assertion: string, clientId: string) => ({
  client_id: clientId,
  client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
  client_assertion: assertion,
});

/** Entra's refusal of a client assertion, with its AADSTS code. */
export function expectRefused(response: RawResponse, code: string) {
  expect(response.status, response.text).toBe(401);
  const body = response.body as { error: string; error_description: string };
  expect(body.error).toBe("invalid_client");
  expect(body.error_description).toMatch(new RegExp(`^${code}: `));
}
