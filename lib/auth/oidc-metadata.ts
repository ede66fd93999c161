import "server-only";

import {
  createLocalJWKSet,
  errors as joseErrors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from "jose";
import { z } from "zod";

import type { HttpsRequest } from "@/lib/net/https-client";

const metadataSchema = z.looseObject({
  issuer: z.url(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  end_session_endpoint: z.url().optional(),
});

export type OidcMetadata = z.infer<typeof metadataSchema>;

const METADATA_TTL_MS = 24 * 3_600_000;
const KEY_REFRESH_COOLDOWN_MS = 30_000;

async function getJson(request: HttpsRequest, url: string): Promise<unknown> {
  const response = await request("GET", url, { headers: { accept: "application/json" } });
  if (response.status !== 200) throw new Error(`${url} answered HTTP ${response.status}`);
  return JSON.parse(response.text) as unknown;
}

/**
 * The identity provider's discovery document and signing keys, fetched once and kept. Keys are
 * fetched again when a token names a key we do not know (the provider rolled its keys), at most
 * once per cooldown.
 */
export function createMetadataSource(metadataUrl: string, request: HttpsRequest) {
  let metadata: { value: OidcMetadata; raw: string; fetchedAt: number } | undefined;
  let keys: { getKey: JWTVerifyGetKey; fetchedAt: number } | undefined;

  async function getMetadata() {
    if (!metadata || Date.now() - metadata.fetchedAt > METADATA_TTL_MS) {
      const raw = await getJson(request, metadataUrl);
      const value = metadataSchema.parse(raw);
      metadata = { value, raw: JSON.stringify(raw), fetchedAt: Date.now() };
    }
    return metadata;
  }

  async function refreshKeys() {
    const { value } = await getMetadata();
    const jwks = (await getJson(request, value.jwks_uri)) as JSONWebKeySet;
    keys = { getKey: createLocalJWKSet(jwks), fetchedAt: Date.now() };
    return keys;
  }

  const signingKeys: JWTVerifyGetKey = async (header, token) => {
    const current = keys ?? (await refreshKeys());
    try {
      return await current.getKey(header, token);
    } catch (error) {
      const unknownKey = error instanceof joseErrors.JWKSNoMatchingKey;
      if (!unknownKey || Date.now() - current.fetchedAt < KEY_REFRESH_COOLDOWN_MS) throw error;
      return (await refreshKeys()).getKey(header, token);
    }
  };

  return { getMetadata, signingKeys };
}

export type MetadataSource = ReturnType<typeof createMetadataSource>;
