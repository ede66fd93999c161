import { createHash } from "node:crypto";
import { once } from "node:events";
import { createDeflateRaw } from "node:zlib";
import CRC32 from "crc-32";
import { Zip, type ZipInputFile } from "fflate";

import type { ManifestFile } from "@/lib/evidence/manifest";

/*
 * A ZIP written as it is read: each file's content comes from an async source and leaves as
 * compressed chunks at once, so a pack of a million audit events never sits in memory. fflate's
 * streaming Zip writes the archive's structure; the deflating is Node's own zlib (native, off the
 * main thread: four times fflate's JavaScript deflate on a 400 MB extract), with the entry's
 * CRC-32 from crc-32. Each file's SHA-256 and size are taken from the bytes as they go in.
 */

/** Text is gathered into pieces of about this size before it is deflated: fewer, larger pushes. */
const PIECE_CHARS = 64 * 1024;

export type FileSource = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

export class ZipWriter {
  private readonly out: Uint8Array[] = [];
  private failure: Error | null = null;
  private readonly zip = new Zip((error, chunk) => {
    if (error) this.failure = error;
    else this.out.push(chunk);
  });
  private readonly encoder = new TextEncoder();

  constructor(private readonly mtime: number) {}

  /** Compressed bytes ready to send. */
  private *drain(): Generator<Uint8Array> {
    if (this.failure) throw this.failure;
    while (this.out.length > 0) yield this.out.shift()!;
  }

  /** Writes one file from its source, yielding ZIP bytes as they come; returns its hash and size. */
  async *add(name: string, source: FileSource): AsyncGenerator<Uint8Array, ManifestFile> {
    const entry: ZipInputFile = { filename: name, size: 0, crc: 0, compression: 8 };
    entry.mtime = this.mtime;
    this.zip.add(entry);
    const deflater = createDeflateRaw({ level: 6 });
    // zlib's output buffers are its own, never shared memory.
    deflater.on("data", (chunk: Buffer<ArrayBuffer>) => entry.ondata!(null, chunk, false));
    const ended = once(deflater, "end");
    const hash = createHash("sha256");
    let crc = 0;
    let bytes = 0;
    let text = "";
    const push = async (data: Uint8Array) => {
      hash.update(data);
      crc = CRC32.buf(data, crc);
      bytes += data.byteLength;
      if (!deflater.write(data)) await once(deflater, "drain");
    };
    const flushText = async () => {
      if (text) await push(this.encoder.encode(text));
      text = "";
    };
    for await (const piece of source) {
      if (typeof piece === "string") {
        text += piece;
        if (text.length >= PIECE_CHARS) await flushText();
      } else {
        await flushText();
        await push(piece);
      }
      yield* this.drain();
    }
    await flushText();
    deflater.end();
    await ended;
    entry.crc = crc;
    entry.size = bytes;
    entry.ondata!(null, new Uint8Array(0), true);
    yield* this.drain();
    return { name, sha256: hash.digest("hex"), bytes };
  }

  /** The central directory: the ZIP's last bytes. */
  *finish(): Generator<Uint8Array> {
    this.zip.end();
    yield* this.drain();
  }
}
