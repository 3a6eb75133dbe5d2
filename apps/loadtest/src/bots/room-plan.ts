/**
 * One room being filled by bots of this process: the creator publishes its code, joiners take it, and the
 * creator starts the game once every bot meant for the room has joined (or failed to). Room codes never leave
 * the process, so no wrong code is ever guessed.
 */
export class RoomPlan {
  /** Bots assigned to the room (the creator included). */
  assigned = 0;
  /** Bots that joined (the creator included). */
  seated = 0;
  private settled = 0;
  private isSealed = false;
  private readonly code: Promise<string | null>;
  private publishCode!: (code: string | null) => void;
  private readonly settledAll: Promise<void>;
  private resolveSettled!: () => void;

  constructor(
    /** How many bots the room is for when it is filled completely. */
    readonly size: number,
  ) {
    this.code = new Promise((resolve) => (this.publishCode = resolve));
    this.settledAll = new Promise((resolve) => (this.resolveSettled = resolve));
  }

  /** Whether another bot may be assigned. */
  get isOpen(): boolean {
    return !this.isSealed && this.assigned < this.size;
  }

  /** Assigns the next bot; the first is the creator. Returns whether it is. */
  assign(): boolean {
    this.assigned++;
    return this.assigned === 1;
  }

  /** No more bots come (the step's ramp ended with the room part-filled). */
  seal(): void {
    this.isSealed = true;
    this.checkSettled();
  }

  /** The creator made the room (`code`) or failed to (`null`: the joiners give up). */
  setCode(code: string | null): void {
    this.publishCode(code);
  }

  /** The room's code once the creator made it, or null when it could not. */
  roomCode(): Promise<string | null> {
    return this.code;
  }

  /** A bot's join (or creation) finished, successfully or not. */
  settle(isSeated: boolean): void {
    this.settled++;
    if (isSeated) this.seated++;
    this.checkSettled();
  }

  /** Resolves when every bot assigned has settled and no more will come. */
  whenFilled(): Promise<void> {
    return this.settledAll;
  }

  private checkSettled(): void {
    if ((this.isSealed || this.assigned >= this.size) && this.settled >= this.assigned) this.resolveSettled();
  }
}
