import * as operations from "../crypto/operations";
import { ok } from "../http/response";
import { keyParam, pattern, type Route, type RouteContext } from "../http/router";
import { keyOperationBody, signBody, verifyBody } from "../keys/schemas";
import { usableKey, type KeyOperationName } from "../keys/use";
import { keyId } from "../keys/wire";
import { ACTIONS } from "../rbac/data-actions";
import { parseBody } from "./keys";

/*
 * encrypt, decrypt, wrapkey, unwrapkey, sign and verify, on the latest version
 * (`/keys/k/sign`, also reached as `/keys/k//sign`) or a given one (`/keys/k/{version}/sign`).
 */

const b64 = (bytes: Buffer | undefined) => bytes?.toString("base64url");

interface CryptoRoute {
  path: string;
  operation: string;
  keyOperation: KeyOperationName;
  action: string;
  run: (key: ReturnType<typeof usableKey>, rc: RouteContext) => Record<string, unknown>;
}

const CRYPTO: CryptoRoute[] = [
  {
    path: "encrypt",
    operation: "KeyEncrypt",
    keyOperation: "encrypt",
    action: ACTIONS.keysEncrypt,
    run: (key, { request }) => {
      const body = parseBody(keyOperationBody, request.body);
      const result = operations.encrypt(key.key, body.alg, body);
      return {
        value: b64(result.value),
        iv: b64(result.iv),
        tag: b64(result.tag),
        aad: b64(result.aad),
      };
    },
  },
  {
    path: "decrypt",
    operation: "KeyDecrypt",
    keyOperation: "decrypt",
    action: ACTIONS.keysDecrypt,
    run: (key, { request }) => {
      const body = parseBody(keyOperationBody, request.body);
      return { value: b64(operations.decrypt(key.key, body.alg, body)) };
    },
  },
  {
    path: "wrapkey",
    operation: "KeyWrap",
    keyOperation: "wrapKey",
    action: ACTIONS.keysWrap,
    run: (key, { request }) => {
      const body = parseBody(keyOperationBody, request.body);
      return { value: b64(operations.wrapKey(key.key, body.alg, body.value)) };
    },
  },
  {
    path: "unwrapkey",
    operation: "KeyUnwrap",
    keyOperation: "unwrapKey",
    action: ACTIONS.keysUnwrap,
    run: (key, { request }) => {
      const body = parseBody(keyOperationBody, request.body);
      return { value: b64(operations.unwrapKey(key.key, body.alg, body.value)) };
    },
  },
  {
    path: "sign",
    operation: "KeySign",
    keyOperation: "sign",
    action: ACTIONS.keysSign,
    run: (key, { request }) => {
      const body = parseBody(signBody, request.body);
      return { value: b64(operations.signDigest(key.key, body.alg, body.value)) };
    },
  },
  {
    path: "verify",
    operation: "KeyVerify",
    keyOperation: "verify",
    action: ACTIONS.keysVerify,
    run: (key, { request }) => {
      const body = parseBody(verifyBody, request.body);
      return { value: operations.verifyDigest(key.key, body.alg, body.digest, body.value) };
    },
  },
];

export const cryptoRoutes: Route[] = CRYPTO.flatMap((definition) =>
  [`keys/:name/${definition.path}`, `keys/:name/:version/${definition.path}`].map(
    (path): Route => ({
      method: "POST",
      match: pattern(path),
      operation: definition.operation,
      opClass: "crypto",
      action: definition.action,
      keyName: keyParam,
      handle: (rc) => {
        const key = usableKey(rc.ctx, rc.params.name!, rc.params.version, definition.keyOperation);
        const result = definition.run(key, rc);
        const isVerify = definition.keyOperation === "verify";
        return ok(
          isVerify
            ? result
            : { kid: keyId(rc.request.origin, key.name, key.row.version), ...result },
        );
      },
    }),
  ),
);
