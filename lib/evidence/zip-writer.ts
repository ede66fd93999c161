import { createHash } from "node:crypto";
import { Zip, ZipDeflate } from "fflate";

import type { ManifestFile } from "@/lib/evidence/manifest";

/*
 * A ZIP written as it is read: each file's content comes from an async source and leaves as
 * compressed chunks at once (fflate's streaming Zip), so a pack of a million audit events never
 * sits in memory. Each file's SHA-256 and size are taken from the bytes as they go in.
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
    const file = new ZipDeflate(name, { level: 6 });
    file.mtime = this.mtime;
    this.zip.add(file);
    const hash = createHash("sha256");
    let bytes = 0;
    let text = "";
    const push = (data: Uint8Array) => {
      hash.update(data);
      bytes += data.byteLength;
      file.push(data, false);
    };
    const flushText = () => {
      if (text) push(this.encoder.encode(text));
      text = "";
    };
    for await (const piece of source) {
      if (typeof piece === "string") {
        text += piece;
        if (text.length >= PIECE_CHARS) flushText();
      } else {
        flushText();
        push(piece);
      }
      yield* this.drain();
    }
    flushText();
    file.push(new Uint8Array(0), true);
    yield* this.drain();
    return { name, sha256: hash.digest("hex"), bytes };
  }

  /** The central directory: the ZIP's last bytes. */
  *finish(): Generator<Uint8Array> {
    this.zip.end();
    yield* this.drain();
  }
}

/** A byte stream that runs `chunks` only as fast as the client reads (pull). */
export function pullStream(
  chunks: AsyncGenerator<Uint8Array, void>,
  onEnd: (error?: unknown) => void,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) {
          controller.close();
          onEnd();
        } else controller.enqueue(next.value);
      } catch (error) {
        onEnd(error);
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
      onEnd(new Error("the client stopped the download"));
    },
  });
}
