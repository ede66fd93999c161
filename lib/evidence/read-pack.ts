import { createHash } from "node:crypto";
import fs from "node:fs";
import { Unzip, UnzipInflate } from "fflate";

import { MANIFEST_NAME, SIGNATURE_NAME } from "@/lib/evidence/manifest";
import type { PackContents, PackEntry } from "@/lib/evidence/verify-pack";

/*
 * Reads an evidence pack from a file as a stream: every entry is inflated and hashed as it
 * passes, only the manifest and its signature are kept. A pack of any size reads in flat memory.
 */

const KEPT = new Set([MANIFEST_NAME, SIGNATURE_NAME]);

export async function readPack(file: string): Promise<PackContents> {
  const entries: PackEntry[] = [];
  const kept = new Map<string, Uint8Array[]>();
  const pending: Promise<void>[] = [];
  const unzip = new Unzip((entry) => {
    const hash = createHash("sha256");
    let bytes = 0;
    const pieces: Uint8Array[] = [];
    pending.push(
      new Promise<void>((resolve, reject) => {
        entry.ondata = (error, data, final) => {
          if (error) return reject(error);
          hash.update(data);
          bytes += data.byteLength;
          if (KEPT.has(entry.name)) pieces.push(data);
          if (final) {
            entries.push({ name: entry.name, sha256: hash.digest("hex"), bytes });
            if (KEPT.has(entry.name)) kept.set(entry.name, pieces);
            resolve();
          }
        };
      }),
    );
    entry.start();
  });
  unzip.register(UnzipInflate);
  for await (const chunk of fs.createReadStream(file)) unzip.push(chunk as Uint8Array);
  unzip.push(new Uint8Array(0), true);
  await Promise.all(pending);
  const joined = (name: string) => {
    const pieces = kept.get(name);
    return pieces ? Buffer.concat(pieces) : null;
  };
  const signature = joined(SIGNATURE_NAME);
  return {
    entries,
    manifest: joined(MANIFEST_NAME),
    signature: signature ? signature.toString("utf8") : null,
  };
}
