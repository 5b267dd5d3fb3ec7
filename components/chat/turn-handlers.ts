import type { SiblingOption } from "@/lib/api-types";

/** What a rendered turn can ask the chat to do. */
export interface TurnHandlers {
  onEdit: (turnNumber: number, text: string) => Promise<boolean>;
  onRegenerate: (turnNumber: number) => void;
  onForkHere: (turnNumber: number) => void;
  onForkNew: (turnNumber: number) => void;
  onSwitchSibling: (option: SiblingOption) => void;
  onStopRemote: (turnId: string) => void;
}
