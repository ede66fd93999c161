import type { OperationClass } from "../config";
import type { HsmContext } from "../context";
import type { Caller } from "../rbac/evaluate";
import type { HsmRequest } from "./request";
import type { HsmResponse } from "./response";

export type Params = Record<string, string>;

export interface RouteContext {
  ctx: HsmContext;
  request: HsmRequest;
  params: Params;
  caller: Caller;
  /** Throws 403 naming the action unless the caller may perform it (on the key, if one is named). */
  authorize: (action: string, keyName: string | null) => void;
}

/**
 * One operation of the REST API. `action` is the data action it needs, checked before the
 * handler runs against the key `keyName` returns (null for HSM-wide operations); handlers whose
 * check depends on the body call `authorize` themselves.
 */
export interface Route {
  method: string;
  match: (segments: string[]) => Params | null;
  operation: string;
  opClass: OperationClass;
  action?: string;
  keyName?: (params: Params) => string | null;
  /** Status URLs of long-running operations are polled without api-version. */
  apiVersionOptional?: boolean;
  /** The emulator's own control endpoints are never slowed or failed by injected faults. */
  skipFaults?: boolean;
  handle: (context: RouteContext) => HsmResponse | Promise<HsmResponse>;
}

/** A matcher for "keys/:name/create": literals compare case-insensitively, ":x" captures. */
export function pattern(path: string): (segments: string[]) => Params | null {
  const parts = path.split("/").filter(Boolean);
  return (segments) => {
    if (segments.length !== parts.length) return null;
    const params: Params = {};
    for (const [i, part] of parts.entries()) {
      const segment = segments[i]!;
      if (part.startsWith(":")) params[part.slice(1)] = segment;
      else if (part.toLowerCase() !== segment.toLowerCase()) return null;
    }
    return params;
  };
}

export const keyParam = (params: Params) => params.name ?? null;
