/**
 * The gate model's system prompt. Kept short on purpose: the gate is a 1B model on a CPU, and
 * every prompt token costs latency before the real answer starts. The user turn is the message
 * itself.
 */

/** Asks for ONLY a JSON object {tool, mode, scope}, defines each value, gives four examples. */
export const GATE_SYSTEM_PROMPT =
  `Classify the user's message. Reply with ONLY a JSON object, no other text:
{"tool": "...", "mode": "...", "scope": "..."}

tool: "answer" (you can answer yourself), "web_search" (needs current or online information), "rag" (needs the user's documents or past conversations), "web_and_rag" (needs both).
mode: "recall" (remembering something), "explore" (learning or comparing), "execute" (doing a task step by step), "chat" (conversation).
scope: "session" (past conversations), "docs" (the user's files; use it when a file is named), "facts" (what you know about the user), "all" (everything).
Date and time questions are "answer".

Examples:
"What is the capital of France?" -> {"tool": "answer", "mode": "chat", "scope": "all"}
"What's the latest news about the Rust 2024 edition?" -> {"tool": "web_search", "mode": "explore", "scope": "all"}
"Summarize the deployment section of notes.md" -> {"tool": "rag", "mode": "recall", "scope": "docs"}
"Help me set up the backup script we talked about" -> {"tool": "rag", "mode": "execute", "scope": "session"}`;
