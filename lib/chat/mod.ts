/**
 * Chat: conversations — sessions saved on disk, the interactive loop and its slash commands,
 * the daemon's conversation service (`ChatService`, `Conversations`) — the turn pipeline
 * (intent, memory, documents, web) and web research with citations.
 *
 * @module
 */
export type {
  AnsweredTurn,
  Answerer,
  ChatService,
  ChatServiceAnswer,
  ChatServiceMessage,
  ChatServiceRequest,
  OpenSessionInfo,
  PreparedPrompt,
  SessionEndReport,
} from "./chat_service.ts";
export { SessionBusyError } from "./chat_service.ts";
export { ChatSession } from "./chat_session.ts";
export type { ExchangeOptions, ExchangeResult } from "./chat_session.ts";
export { Conversations, DEFAULT_MAX_WAITING_PER_SESSION } from "./conversations.ts";
export { embedderFor } from "./embedder_for.ts";
export {
  describeFacts,
  forgetFact,
  forgotLine,
  rememberedLine,
  rememberFact,
} from "./fact_commands.ts";
export { LineReader } from "./line_reader.ts";
export { openTurnContext } from "./open_turn_context.ts";
export type { OpenTurnContextOptions } from "./open_turn_context.ts";
export { memoryOffReason, prepareTurn, TurnContext } from "./pipeline.ts";
export type { MemoryStatus, PreparedTurn } from "./pipeline.ts";
export { sourcesFooter } from "./prompt_assembly.ts";
export type { AssembledPrompt, Scored, WebContext } from "./prompt_assembly.ts";
export { runRepl } from "./repl.ts";
export type { ReplEnd, ReplIo } from "./repl.ts";
export { research } from "./research.ts";
export type {
  ResearchDeps,
  ResearchOptions,
  ResearchProgress,
  ResearchResult,
} from "./research.ts";
export { searchAll } from "./research_fan_out.ts";
export type { SearchOutcome } from "./research_fan_out.ts";
export { sourcesList } from "./research_plan.ts";
export type { ResearchSource } from "./research_plan.ts";
export { describeSessionEnd, endSession, heldBackLine, unreflectedCount } from "./session_end.ts";
export type { SessionEnd } from "./session_end.ts";
export { checkSessionName, defaultSessionName, TranscriptStore } from "./transcripts.ts";
export type {
  ReadFailure,
  Transcript,
  TranscriptMessage,
  TranscriptSummary,
} from "./transcripts.ts";
export type { WebLookup } from "./web_context.ts";
export { describePendingSweep, pendingSessions, reflectPending } from "./pending_reflections.ts";
export type { PendingOutcome, PendingSweepOptions } from "./pending_reflections.ts";
export type { PendingSession } from "./reflection_state.ts";
export { claimSession, describeHolder } from "./session_claims.ts";
export type { ClaimHolder, ClaimPurpose, ClaimResult, SessionClaim } from "./session_claims.ts";
