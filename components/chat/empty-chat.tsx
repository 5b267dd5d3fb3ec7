/** Shown in a conversation with no turns yet. */
export function EmptyChat() {
  return (
    <div className="flex flex-col items-center gap-2 py-16 text-center" data-testid="empty-chat">
      <h2 className="text-xl font-semibold">What shall we explore?</h2>
      <p className="max-w-sm text-sm text-muted">
        Every reply can be edited, regenerated or forked into a new branch. Costs are tracked per turn, branch and conversation.
      </p>
    </div>
  );
}
