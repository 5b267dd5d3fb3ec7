/** Every refusal of the session layer; `code` is stable and the HTTP layer maps it to a status. */
export class SessionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ConversationNotFoundError extends SessionError {
  constructor(id: string) {
    super("conversation_not_found", `Conversation ${id} does not exist.`);
  }
}

export class TurnNotFoundError extends SessionError {
  constructor(what: string) {
    super("turn_not_found", `Turn ${what} does not exist on this branch.`);
  }
}

export class BranchNotFoundError extends SessionError {
  constructor(id: string) {
    super("branch_not_found", `Branch ${id} does not exist in this conversation.`);
  }
}

export class BranchNameTakenError extends SessionError {
  constructor(name: string) {
    super("branch_name_taken", `A branch named "${name}" already exists in this conversation.`);
  }
}

export class CannotDeleteMainError extends SessionError {
  constructor() {
    super("cannot_delete_main", "The main branch cannot be deleted.");
  }
}

export class BranchIsCurrentError extends SessionError {
  constructor() {
    super("branch_is_current", "This is the active branch; pass force to delete it and switch to main.");
  }
}

export class TurnInProgressError extends SessionError {
  constructor(turnId: string) {
    super("turn_in_progress", `A turn (${turnId}) is still running on this branch; stop it or wait for it to finish.`);
  }
}

export class TurnNotRunningError extends SessionError {
  constructor(turnId: string, status: string) {
    super("turn_not_running", `Turn ${turnId} is ${status}, not in progress.`);
  }
}

export class InvalidSessionArgumentError extends SessionError {
  constructor(message: string) {
    super("invalid_argument", message);
  }
}

/** A stored item that cannot be read; reads skip it and report this (never fatal for the conversation). */
export class CorruptItemError extends SessionError {
  constructor(where: { conversationId: string; turnId: string; position: number }, reason: string) {
    super("corrupt_item", `corrupt_item: conversation ${where.conversationId}, turn ${where.turnId}, position ${where.position} skipped: ${reason}`);
  }
}

export class HistoryOperationConflictError extends SessionError {
  constructor(operationId: string) {
    super("history_operation_conflict", `History operation ${operationId} was already applied with a different transaction.`);
  }
}

export class HistorySuffixMismatchError extends SessionError {
  constructor() {
    super("history_suffix_mismatch", "The history no longer ends with the expected items; nothing was changed.");
  }
}

export class SnapshotNotFoundError extends SessionError {
  constructor(id: string) {
    super("snapshot_not_found", `Snapshot ${id} does not exist in this conversation.`);
  }
}
