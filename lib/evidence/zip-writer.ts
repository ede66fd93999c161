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

/**
 * Text is encoded straight into buffers of this size, which are deflated as they fill: fewer,
 * larger pushes, and no string longer than one piece of text is ever built. (Joining pieces into
 * one string made a flat copy of each batch at encoding time, and copies past 128 kB go to V8's
 * large-object space, which only a full collection frees: hundreds of MB for an audit extract.)
 */
const PIECE_BYTES = 64 * 1024;

/** A file's content as it comes: text, bytes, or a batch of text pieces (lines of a batch). */
export type FilePiece = string | Uint8Array | readonly string[];
export type FileSource = AsyncIterable<FilePiece> | Iterable<FilePiece>;

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
    const push = async (data: Uint8Array) => {
      hash.update(data);
      crc = CRC32.buf(data, crc);
      bytes += data.byteLength;
      if (!deflater.write(data)) await once(deflater, "drain");
    };
    // A fresh buffer per piece: the deflater holds the previous one until it has read it.
    let buffer = new Uint8Array(PIECE_BYTES);
    let used = 0;
    const flushText = async () => {
      if (used === 0) return;
      const data = buffer.subarray(0, used);
      buffer = new Uint8Array(PIECE_BYTES);
      used = 0;
      await push(data);
    };
    const addText = async (text: string) => {
      for (let rest = text; ;) {
        const { read, written } = this.encoder.encodeInto(rest, buffer.subarray(used));
        used += written;
        if (read === rest.length) return;
        rest = rest.slice(read);
        await flushText();
      }
    };
    for await (const piece of source) {
      if (typeof piece === "string") await addText(piece);
      else if (piece instanceof Uint8Array) {
        await flushText();
        await push(piece);
      } else for (const text of piece) await addText(text);
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
