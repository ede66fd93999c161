/*
 * A download's body that runs its producer only as fast as the client reads: each `pull` takes
 * the next chunk, so a slow download never makes the server hold more than a chunk. `onEnd`
 * hears how it ended: done, failed, or stopped by the client.
 */

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
