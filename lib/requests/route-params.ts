import { z } from "zod";

/** `/api/requests/{id}`: a request id is a UUID. */
export const requestIdParams = z.object({
  id: z.uuid({ message: "must be a change request id (a UUID)" }),
});
