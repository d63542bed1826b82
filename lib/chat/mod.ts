/**
 * Chat: sessions saved on disk, the interactive loop and its slash commands.
 *
 * @module
 */
export * from "./transcripts.ts";
export * from "./chat_session.ts";
export * from "./line_reader.ts";
export * from "./slash_commands.ts";
export * from "./repl.ts";
export * from "./pipeline.ts";
export * from "./prompt_assembly.ts";
export * from "./fact_commands.ts";
export * from "./session_end.ts";
export * from "./web_context.ts";
export * from "./research_plan.ts";
export * from "./research_fan_out.ts";
export * from "./research.ts";
export * from "./chat_service.ts";
export * from "./conversations.ts";
export * from "./open_turn_context.ts";
export * from "./embedder_for.ts";
