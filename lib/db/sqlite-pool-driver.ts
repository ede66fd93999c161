import type { DatabaseConnection, Driver, QueryCompiler, TransactionSettings } from "kysely";

/*
 * Kysely's SQLite driver has one connection, so a transaction holds every other query of the
 * process until it commits: while one request's transaction waits for another process's write
 * lock, this process cannot even read. SQLite in WAL mode lets readers go on beside a writer, so
 * this driver keeps several connections (each a Kysely SQLite driver of its own) and lends a free
 * one to each query or transaction, as the PostgreSQL pool does.
 *
 * Transactions of this process still take their turn one after another, in the order they
 * asked: only one connection can write at a time, and waiting in a queue here costs nothing,
 * where waiting for SQLite's write lock means trying again on a timer.
 */

class FifoLock {
  #held = false;
  #waiting: (() => void)[] = [];

  async acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}

export class SqlitePoolDriver implements Driver {
  readonly #drivers: Driver[];
  #free: Driver[] = [];
  #waiting: ((driver: Driver) => void)[] = [];
  readonly #lenders = new Map<DatabaseConnection, Driver>();
  readonly #writing = new Set<DatabaseConnection>();
  readonly #writeTurn = new FifoLock();

  /** `drivers`: one single-connection driver per connection of the pool. */
  constructor(drivers: Driver[]) {
    if (drivers.length === 0) throw new Error("a SQLite pool needs at least one connection");
    this.#drivers = drivers;
  }

  async init(): Promise<void> {
    await Promise.all(this.#drivers.map((driver) => driver.init()));
    this.#free = [...this.#drivers];
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const driver =
      this.#free.pop() ?? (await new Promise<Driver>((resolve) => this.#waiting.push(resolve)));
    const connection = await driver.acquireConnection();
    this.#lenders.set(connection, driver);
    return connection;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const driver = this.#lender(connection);
    this.#lenders.delete(connection);
    await driver.releaseConnection(connection);
    const next = this.#waiting.shift();
    if (next) next(driver);
    else this.#free.push(driver);
  }

  async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    await this.#writeTurn.acquire();
    this.#writing.add(connection);
    try {
      await this.#lender(connection).beginTransaction(connection, settings);
    } catch (error) {
      this.#endTurn(connection);
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    // A failed commit is followed by Kysely's rollback, which ends the turn.
    await this.#lender(connection).commitTransaction(connection);
    this.#endTurn(connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#lender(connection).rollbackTransaction(connection);
    } finally {
      this.#endTurn(connection);
    }
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await this.#lender(connection).savepoint?.(connection, name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await this.#lender(connection).rollbackToSavepoint?.(connection, name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await this.#lender(connection).releaseSavepoint?.(connection, name, compile);
  }

  async destroy(): Promise<void> {
    await Promise.all(this.#drivers.map((driver) => driver.destroy()));
  }

  #lender(connection: DatabaseConnection): Driver {
    const driver = this.#lenders.get(connection);
    if (!driver) throw new Error("this connection was not lent by the SQLite pool");
    return driver;
  }

  #endTurn(connection: DatabaseConnection): void {
    if (this.#writing.delete(connection)) this.#writeTurn.release();
  }
}
