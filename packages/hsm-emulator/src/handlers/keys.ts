import { randomBytes } from "node:crypto";
import type { z } from "zod";

import { badParameter } from "../errors";
import { pagedBody, pageRequest } from "../http/paging";
import { ok } from "../http/response";
import { keyParam, pattern, type Route, type RouteContext } from "../http/router";
import { backupKey, restoreKey } from "../keys/key-backup";
import * as lifecycle from "../keys/lifecycle";
import { validateRotationPolicy } from "../keys/rotation-policy";
import * as schemas from "../keys/schemas";
import { deletedKeyBundle, deletedKeyItem, keyBundle, keyId, keyItem } from "../keys/wire";
import { ACTIONS } from "../rbac/data-actions";
import * as store from "../store/keys";

/* Key management: create, import, read, list, update, delete, recover, purge, backup, rotate. */

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join(".") || "body";
  throw badParameter(`Invalid ${field}: ${issue?.message ?? "invalid value"}.`);
}

const bundle = ({ ctx, request }: RouteContext, name: string, row: store.VersionRow) =>
  ok(keyBundle(request.origin, name, row, ctx.config));

function policyBody(
  origin: string,
  name: string,
  policy: ReturnType<typeof lifecycle.rotationPolicyOf>,
) {
  return {
    id: `${keyId(origin, name)}/rotationpolicy`,
    lifetimeActions: policy?.lifetimeActions ?? [],
    attributes: policy?.attributes ?? {},
  };
}

function versionOptions(body: {
  key_ops?: string[];
  attributes?: z.infer<typeof schemas.attributesInput>;
  tags?: Record<string, string>;
  release_policy?: z.infer<typeof schemas.releasePolicyInput>;
}): lifecycle.VersionOptions {
  return {
    ...(body.key_ops ? { keyOps: body.key_ops } : {}),
    ...(body.attributes ? { attributes: body.attributes } : {}),
    ...(body.tags ? { tags: body.tags } : {}),
    ...(body.release_policy ? { releasePolicy: body.release_policy } : {}),
  };
}

export const keyRoutes: Route[] = [
  {
    method: "GET",
    match: pattern("keys"),
    operation: "KeyList",
    opClass: "read",
    action: ACTIONS.keysRead,
    handle: ({ ctx, request }) => {
      const { after, size } = pageRequest(request);
      const rows = store.pageKeys(ctx.db, ctx.config.name, false, after, size);
      const page = pagedBody(request, rows, size, "/keys", (row) => row.name_lower);
      return ok({
        ...page,
        value: page.value.map((row) => keyItem(request.origin, row.name, row, ctx.config, false)),
      });
    },
  },
  {
    method: "GET",
    match: pattern("deletedkeys"),
    operation: "DeletedKeyList",
    opClass: "read",
    action: ACTIONS.deletedKeysRead,
    handle: ({ ctx, request }) => {
      const { after, size } = pageRequest(request);
      const rows = store.pageKeys(ctx.db, ctx.config.name, true, after, size);
      const page = pagedBody(request, rows, size, "/deletedkeys", (row) => row.name_lower);
      return ok({
        ...page,
        value: page.value.map((row) => deletedKeyItem(request.origin, row, row, ctx.config)),
      });
    },
  },
  {
    method: "POST",
    match: pattern("keys/restore"),
    operation: "KeyRestore",
    opClass: "write",
    action: ACTIONS.keysRestore,
    handle: (rc) => {
      const { value } = parseBody(schemas.restoreKeyBody, rc.request.body);
      const name = restoreKey(rc.ctx, value);
      return bundle(rc, name, store.latestVersion(rc.ctx.db, rc.ctx.config.name, name)!);
    },
  },
  {
    method: "POST",
    match: pattern("keys/:name/create"),
    operation: "KeyCreate",
    opClass: "write",
    action: ACTIONS.keysCreate,
    keyName: keyParam,
    handle: async (rc) => {
      const body = parseBody(schemas.createKeyBody, rc.request.body);
      const params = {
        keySize: body.key_size,
        publicExponent: body.public_exponent,
        crv: body.crv,
      };
      const row = await lifecycle.createKey(
        rc.ctx,
        rc.params.name!,
        body.kty,
        params,
        versionOptions(body),
      );
      return bundle(rc, store.findKey(rc.ctx.db, rc.ctx.config.name, rc.params.name!)!.name, row);
    },
  },
  {
    method: "PUT",
    match: pattern("keys/:name"),
    operation: "KeyImport",
    opClass: "write",
    action: ACTIONS.keysImport,
    keyName: keyParam,
    handle: (rc) => {
      const body = parseBody(schemas.importKeyBody, rc.request.body);
      const keyOps = body.key.key_ops;
      const row = lifecycle.importKey(
        rc.ctx,
        rc.params.name!,
        body.key,
        versionOptions({ ...body, ...(keyOps ? { key_ops: keyOps } : {}) }),
      );
      return bundle(rc, store.findKey(rc.ctx.db, rc.ctx.config.name, rc.params.name!)!.name, row);
    },
  },
  ...["keys/:name", "keys/:name/:version"].map((path): Route => ({
    method: "GET",
    match: pattern(path),
    operation: "KeyGet",
    opClass: "read",
    action: ACTIONS.keysRead,
    keyName: keyParam,
    handle: (rc) => {
      const { key, row } = lifecycle.resolveVersion(rc.ctx, rc.params.name!, rc.params.version);
      return bundle(rc, key.name, row);
    },
  })),
  ...["keys/:name", "keys/:name/:version"].map((path): Route => ({
    method: "PATCH",
    match: pattern(path),
    operation: "KeyUpdate",
    opClass: "write",
    action: ACTIONS.keysWrite,
    keyName: keyParam,
    handle: (rc) => {
      const body = parseBody(schemas.updateKeyBody, rc.request.body);
      const row = lifecycle.updateKey(
        rc.ctx,
        rc.params.name!,
        rc.params.version,
        versionOptions(body),
      );
      return bundle(rc, lifecycle.liveKey(rc.ctx, rc.params.name!).name, row);
    },
  })),
  {
    method: "GET",
    match: pattern("keys/:name/versions"),
    operation: "KeyListVersions",
    opClass: "read",
    action: ACTIONS.keysRead,
    keyName: keyParam,
    handle: ({ ctx, request, params }) => {
      const key = lifecycle.liveKey(ctx, params.name!);
      const { after, size } = pageRequest(request);
      const afterSeq = after === null ? 0 : Number(after);
      if (!Number.isInteger(afterSeq) || afterSeq < 0)
        throw badParameter("The $skiptoken is invalid.");
      const rows = store.pageVersions(ctx.db, ctx.config.name, key.name, afterSeq, size);
      const page = pagedBody(request, rows, size, `/keys/${key.name}/versions`, (row) =>
        String(row.seq),
      );
      return ok({
        ...page,
        value: page.value.map((row) => keyItem(request.origin, key.name, row, ctx.config, true)),
      });
    },
  },
  {
    method: "DELETE",
    match: pattern("keys/:name"),
    operation: "KeyDelete",
    opClass: "write",
    action: ACTIONS.keysDelete,
    keyName: keyParam,
    handle: ({ ctx, request, params }) => {
      const { key, row } = lifecycle.deleteKey(ctx, params.name!);
      return ok(deletedKeyBundle(request.origin, key, row, ctx.config));
    },
  },
  {
    method: "GET",
    match: pattern("deletedkeys/:name"),
    operation: "DeletedKeyGet",
    opClass: "read",
    action: ACTIONS.deletedKeysRead,
    keyName: keyParam,
    handle: ({ ctx, request, params }) => {
      const key = lifecycle.deletedKey(ctx, params.name!);
      return ok(
        deletedKeyBundle(
          request.origin,
          key,
          store.latestVersion(ctx.db, ctx.config.name, key.name)!,
          ctx.config,
        ),
      );
    },
  },
  {
    method: "POST",
    match: pattern("deletedkeys/:name/recover"),
    operation: "DeletedKeyRecover",
    opClass: "write",
    action: ACTIONS.deletedKeysRecover,
    keyName: keyParam,
    handle: (rc) => {
      const { key, row } = lifecycle.recoverKey(rc.ctx, rc.params.name!);
      return bundle(rc, key.name, row);
    },
  },
  {
    method: "DELETE",
    match: pattern("deletedkeys/:name"),
    operation: "DeletedKeyPurge",
    opClass: "write",
    action: ACTIONS.deletedKeysPurge,
    keyName: keyParam,
    handle: ({ ctx, params }) => {
      lifecycle.purgeKey(ctx, params.name!);
      return { status: 204 };
    },
  },
  {
    method: "POST",
    match: pattern("keys/:name/backup"),
    operation: "KeyBackup",
    opClass: "write",
    action: ACTIONS.keysBackup,
    keyName: keyParam,
    handle: ({ ctx, params }) => ok({ value: backupKey(ctx, params.name!) }),
  },
  {
    method: "POST",
    match: pattern("keys/:name/rotate"),
    operation: "KeyRotate",
    opClass: "write",
    action: ACTIONS.keysRotate,
    keyName: keyParam,
    handle: (rc) =>
      bundle(
        rc,
        lifecycle.liveKey(rc.ctx, rc.params.name!).name,
        lifecycle.rotateKey(rc.ctx, rc.params.name!, true),
      ),
  },
  {
    method: "GET",
    match: pattern("keys/:name/rotationpolicy"),
    operation: "KeyRotationPolicyGet",
    opClass: "read",
    action: ACTIONS.keysRead,
    keyName: keyParam,
    handle: ({ ctx, request, params }) => {
      const key = lifecycle.liveKey(ctx, params.name!);
      return ok(policyBody(request.origin, key.name, lifecycle.rotationPolicyOf(key)));
    },
  },
  {
    method: "PUT",
    match: pattern("keys/:name/rotationpolicy"),
    operation: "KeyRotationPolicyUpdate",
    opClass: "write",
    action: ACTIONS.keysWrite,
    keyName: keyParam,
    handle: ({ ctx, request, params }) => {
      const key = lifecycle.liveKey(ctx, params.name!);
      const input = parseBody(schemas.rotationPolicyBody, request.body);
      const cleared = (input.lifetimeActions ?? []).length === 0 && !input.attributes?.expiryTime;
      const policy = cleared
        ? null
        : validateRotationPolicy(input, ctx.clock.nowSeconds(), lifecycle.rotationPolicyOf(key));
      store.setRotationPolicy(
        ctx.db,
        ctx.config.name,
        key.name,
        policy ? JSON.stringify(policy) : null,
      );
      return ok(policyBody(request.origin, key.name, policy));
    },
  },
  {
    method: "POST",
    match: pattern("rng"),
    operation: "RandomBytes",
    opClass: "crypto",
    action: ACTIONS.rng,
    handle: ({ request }) => {
      const { count } = parseBody(schemas.randomBytesBody, request.body);
      return ok({ value: randomBytes(count).toString("base64url") });
    },
  },
];
