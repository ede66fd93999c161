/**
 * A named lease: at most one holder at a time runs the job it guards. Several portal instances
 * sharing one database compete for the row; an expired lease can be taken over.
 */
export interface LeaseTable {
  name: string;
  /** Unique per acquisition: host, process and a random part. */
  holder: string;
  /** Epoch milliseconds. */
  acquired_at: number;
  /** Epoch milliseconds; renewed while the holder works. */
  expires_at: number;
}
