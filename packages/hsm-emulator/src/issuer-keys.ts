import https from "node:https";
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { z } from "zod";

/*
 * The trusted issuer's signing keys, found through its discovery document over HTTPS (trusting
 * the given CA, or the system's roots). Fetched on first use and again when a token names a key
 * the emulator has not seen (the issuer rolled its keys), at most once a minute.
 */

const discoverySchema = z.looseObject({ jwks_uri: z.url({ protocol: /^https$/ }) });
const REFETCH_AFTER_MS = 60_000;
const TIMEOUT_MS = 10_000;

function getJson(url: string, agent: https.Agent): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { agent, timeout: TIMEOUT_MS }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        if (response.statusCode !== 200)
          return reject(new Error(`${url} answered HTTP ${response.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch {
          reject(new Error(`${url} did not answer with JSON`));
        }
      });
    });
    request.on("timeout", () => request.destroy(new Error(`${url} did not answer in time`)));
    request.on("error", reject);
  });
}

export function issuerSigningKeys(issuer: string, caPem: string | undefined): JWTVerifyGetKey {
  const agent = new https.Agent({ keepAlive: true, ...(caPem ? { ca: caPem } : {}) });
  let current: { getKey: JWTVerifyGetKey; fetchedAt: number } | undefined;

  async function fetchKeys() {
    const discovery = discoverySchema.parse(
      await getJson(`${issuer}/.well-known/openid-configuration`, agent),
    );
    const jwks = (await getJson(discovery.jwks_uri, agent)) as JSONWebKeySet;
    current = { getKey: createLocalJWKSet(jwks), fetchedAt: Date.now() };
    return current;
  }

  return async (header, token) => {
    const keys = current ?? (await fetchKeys());
    try {
      return await keys.getKey(header, token);
    } catch (error) {
      const unknownKey = error instanceof errors.JWKSNoMatchingKey;
      if (!unknownKey || Date.now() - keys.fetchedAt < REFETCH_AFTER_MS) throw error;
      return (await fetchKeys()).getKey(header, token);
    }
  };
}
