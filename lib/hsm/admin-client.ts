import "server-only";

import { randomUUID } from "node:crypto";
import type { TokenCredential } from "@azure/core-auth";
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  RestError,
  type PipelinePolicy,
} from "@azure/core-rest-pipeline";
import { keyVaultAuthenticationPolicy } from "@azure/keyvault-common";

import type { HsmTransport } from "@/lib/hsm/client";

/*
 * The part of the Managed HSM data plane that @azure/keyvault-keys does not cover (role
 * assignments and definitions, full backup and restore, settings), on the same pipeline
 * pieces as the SDK: core-rest-pipeline plus Key Vault's challenge authentication. The
 * official @azure/keyvault-admin cannot be installed here; this is the small subset Keyward needs.
 */

const ADMIN_API_VERSION = "7.6";
const ROLE_PROVIDER = "providers/Microsoft.Authorization";

type Method = "GET" | "PUT" | "POST" | "PATCH" | "DELETE";

/** A backup's container: a SAS for it, or the HSM's own user-assigned managed identity. */
export type StorageParameters =
  | { storageResourceUri: string; token: string }
  | { storageResourceUri: string; useManagedIdentity: true };

export interface AdminResponse<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

function scopePath(scope: string): string {
  const trimmed = scope.replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "" : `/${trimmed}`;
}

const assignmentPath = (scope: string, name: string) =>
  `${scopePath(scope)}/${ROLE_PROVIDER}/roleAssignments/${name}`;
const definitionPath = (name: string) => `/${ROLE_PROVIDER}/roleDefinitions/${name}`;
const settingPath = (name: string) => `/settings/${encodeURIComponent(name)}`;

export function createAdminClient(
  url: string,
  credential: TokenCredential,
  transport: HsmTransport,
  policies: PipelinePolicy[],
) {
  const { disableChallengeResourceVerification, agent } = transport;
  const pipeline = createPipelineFromOptions({
    ...(agent ? { agent } : {}),
    retryOptions: { maxRetries: 0 },
  });
  for (const policy of policies) pipeline.addPolicy(policy);
  pipeline.addPolicy(
    keyVaultAuthenticationPolicy(credential, { disableChallengeResourceVerification }),
  );
  const httpClient = createDefaultHttpClient();
  const origin = url.replace(/\/+$/, "");

  async function send<T>(
    method: Method,
    pathOrUrl: string,
    query: Record<string, string> = {},
    body?: unknown,
  ): Promise<AdminResponse<T>> {
    const url = pathOrUrl.startsWith("https://")
      ? new URL(pathOrUrl)
      : new URL(`${origin}${pathOrUrl}`);
    if (url.origin !== new URL(origin).origin)
      throw new Error(`refusing to follow a link to ${url.origin}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    if (!url.searchParams.has("api-version"))
      url.searchParams.set("api-version", ADMIN_API_VERSION);
    const request = createPipelineRequest({
      url: url.toString(),
      method,
      headers: createHttpHeaders({
        accept: "application/json",
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const response = await pipeline.sendRequest(httpClient, request);
    const json = response.bodyAsText ? (JSON.parse(response.bodyAsText) as unknown) : undefined;
    if (response.status >= 400) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new RestError(error?.message ?? `HTTP ${response.status}`, {
        statusCode: response.status,
        code: error?.code,
        request,
        response,
      });
    }
    return { status: response.status, headers: response.headers.toJSON(), body: json as T };
  }

  /** Follows nextLink (same origin only) until the list ends. */
  async function listAll<T>(path: string, query: Record<string, string> = {}): Promise<T[]> {
    const items: T[] = [];
    let next: string | null | undefined = path;
    let first = true;
    while (next) {
      const page: AdminResponse<{ value?: T[]; nextLink?: string | null }> = await send(
        "GET",
        next,
        first ? query : {},
      );
      items.push(...(page.body.value ?? []));
      next = page.body.nextLink;
      first = false;
    }
    return items;
  }

  return {
    send,
    /** Assigns a role (by its definition's GUID) to a principal at a scope. */
    createRoleAssignment: <T>(
      scope: string,
      roleDefinitionGuid: string,
      principalId: string,
      name: string = randomUUID(),
    ) =>
      send<T>(
        "PUT",
        assignmentPath(scope, name),
        {},
        {
          properties: {
            roleDefinitionId: `Microsoft.KeyVault/${ROLE_PROVIDER}/roleDefinitions/${roleDefinitionGuid}`,
            principalId,
          },
        },
      ),
    /** Creates or updates a custom role (definitions exist only at "/"). */
    putCustomRole: <T>(
      name: string,
      role: {
        roleName: string;
        description: string;
        dataActions: string[];
        notDataActions?: string[];
      },
    ) =>
      send<T>(
        "PUT",
        definitionPath(name),
        {},
        {
          properties: {
            roleName: role.roleName,
            description: role.description,
            type: "CustomRole",
            permissions: [
              {
                actions: [],
                notActions: [],
                dataActions: role.dataActions,
                notDataActions: role.notDataActions ?? [],
              },
            ],
            assignableScopes: ["/"],
          },
        },
      ),
    getRoleAssignment: <T>(scope: string, name: string) =>
      send<T>("GET", assignmentPath(scope, name)),
    deleteRoleAssignment: <T>(scope: string, name: string) =>
      send<T>("DELETE", assignmentPath(scope, name)),
    getRoleDefinition: <T>(name: string) => send<T>("GET", definitionPath(name)),
    deleteRoleDefinition: <T>(name: string) => send<T>("DELETE", definitionPath(name)),
    listRoleAssignments: <T>(scope: string, filter?: string) =>
      listAll<T>(
        `${scopePath(scope)}/${ROLE_PROVIDER}/roleAssignments`,
        filter ? { $filter: filter } : {},
      ),
    listRoleDefinitions: <T>(scope = "/") =>
      listAll<T>(`${scopePath(scope)}/${ROLE_PROVIDER}/roleDefinitions`),
    getSettings: <T>() => send<T>("GET", "/settings"),
    getSetting: <T>(name: string) => send<T>("GET", settingPath(name)),
    updateSetting: <T>(name: string, value: string) =>
      send<T>("PATCH", settingPath(name), {}, { value }),
    getSecurityDomainStatus: <T>() => send<T>("GET", "/securitydomain/download/pending"),
    startFullBackup: <T>(storage: StorageParameters) => send<T>("POST", "/backup", {}, storage),
    startFullRestore: <T>(storage: StorageParameters, folder: string) =>
      send<T>("PUT", "/restore", {}, { sasTokenParameters: storage, folderToRestore: folder }),
    /** Restores one key, with all its versions, from a full backup's folder. */
    startKeyRestore: <T>(key: string, storage: StorageParameters, folder: string) =>
      send<T>(
        "PUT",
        `/keys/${encodeURIComponent(key)}/restore`,
        {},
        { sasTokenParameters: storage, folder },
      ),
    operationStatus: <T>(statusUrl: string) => send<T>("GET", statusUrl),
  };
}

export type AdminClient = ReturnType<typeof createAdminClient>;
