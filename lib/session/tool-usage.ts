import type { AgentInputItem } from "@openai/agents";

type Loose = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === "string" && value.length > 0 ? value : undefined);

/** Hosted items that describe tools rather than call one. */
const NOT_CALLS = new Set(["mcp_list_tools", "mcp_approval_request"]);

/**
 * The full name a tool call is counted under, or null for items that call no tool: a function with its namespace
 * (`crm.lookup_account`), an MCP call with its server label (`mcp:crm/lookup_account`), a built-in call by its type
 * (`web_search_call`, `computer_call`, `tool_search_call` …).
 */
export function toolKey(item: AgentInputItem): string | null {
  const loose = item as unknown as Loose;
  const data = (loose.providerData ?? {}) as Loose;
  switch (loose.type) {
    case "function_call": {
      const name = str(loose.name) ?? "function";
      const namespace = str(loose.namespace) ?? str(data.namespace);
      return namespace ? `${namespace}.${name}` : name;
    }
    case "hosted_tool_call": {
      const name = str(loose.name) ?? str(data.type) ?? "hosted_tool_call";
      if (NOT_CALLS.has(name)) return null;
      if (name === "mcp_call" || data.type === "mcp_call") return `mcp:${str(data.server_label) ?? str(data.serverLabel) ?? "unknown"}/${str(data.name) ?? "tool"}`;
      return name;
    }
    case "computer_call":
    case "shell_call":
    case "apply_patch_call":
    case "tool_search_call":
      return loose.type;
    default:
      return null;
  }
}
