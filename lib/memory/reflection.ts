/**
 * Episodic reflection: at the end of a chat the model looks back on it and
 * returns {summary, decisions, lessons, surprises, tone}. Small local models
 * often answer with broken JSON, so parsing is forgiving, every field is
 * checked on its own, and a failed reflection falls back to a plain summary.
 */

/** The tones a session can have (mycoSwarm's list); anything else is neutral. */
export const TONES = [
  "neutral",
  "frustration",
  "discovery",
  "confusion",
  "resolution",
  "flow",
  "stuck",
  "exploratory",
  "routine",
] as const;

/** One of {@linkcode TONES}. */
export type Tone = typeof TONES[number];

/** What a reflection holds. */
export interface Reflection {
  /** What the session was about, in a few sentences. */
  summary: string;
  /** What was decided, one per item. */
  decisions: string[];
  /** What was learnt, one per item: recalled in later sessions. */
  lessons: string[];
  /** What was unexpected, one per item. */
  surprises: string[];
  /** The session's mood, one of {@linkcode TONES}. */
  tone: Tone;
}

/** A message of the session being reflected on. */
export interface ReflectedMessage {
  /** Who said it ("user" or "assistant"). */
  role: string;
  /** What was said. */
  content: string;
}

/** How many of the last messages the model sees, and how much of each. */
export const REFLECT_LAST_MESSAGES = 30;
export const REFLECT_MESSAGE_CHARS = 500;

/** The system prompt for reflection. */
export const REFLECTION_INSTRUCTIONS = `You review a finished conversation between a user and an \
assistant. Reply with ONLY a JSON object, no prose:
{"summary": "2-3 sentences: what was discussed and concluded",
 "decisions": ["decisions the user made"],
 "lessons": ["reusable lessons, e.g. 'when X, do Y'"],
 "surprises": ["anything unexpected"],
 "tone": "one of ${TONES.join(", ")}"}
Use only what is in the conversation. Never add names, numbers or facts that are not in it. \
Empty lists are fine.`;

/** The conversation as the reflection prompt's user message. */
export function reflectionTranscript(messages: readonly ReflectedMessage[]): string {
  return messages
    .filter((m) => m.role === "user" || m.role === "assistant")
    .slice(-REFLECT_LAST_MESSAGES)
    .map((m) => `${m.role.toUpperCase()}: ${m.content.slice(0, REFLECT_MESSAGE_CHARS)}`)
    .join("\n\n");
}

/**
 * Reads the model's reply. Returns null when no summary can be found; every
 * other field falls back on its own (lists to [], tone to neutral).
 */
export function parseReflection(raw: string): Reflection | null {
  const data = firstJsonObject(raw);
  if (data === null) return null;
  const summary = typeof data.summary === "string" ? data.summary.trim() : "";
  if (summary === "") return null;
  const tone = String(data.tone ?? data.emotional_tone ?? "").trim().toLowerCase();
  return {
    summary,
    decisions: stringList(data.decisions),
    lessons: stringList(data.lessons),
    surprises: stringList(data.surprises),
    tone: (TONES as readonly string[]).includes(tone) ? tone as Tone : "neutral",
  };
}

/**
 * What can be read of a reply cut short or otherwise broken ("{"summary": "…", "lessons":
 * ["a", "b): the summary and every list item that is a complete JSON string. Null without a
 * complete summary. Used when {@linkcode parseReflection} finds no whole object.
 *
 * @example
 * ```ts
 * salvageReflection('{"summary": "We fixed Nginx.", "lessons": ["Check logs", "Resta');
 * // { summary: "We fixed Nginx.", lessons: ["Check logs"], decisions: [], ... }
 * ```
 */
export function salvageReflection(raw: string): Reflection | null {
  const summary = readString(/"summary"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(raw)?.[1]);
  if (summary === null || summary.trim() === "") return null;
  const list = (name: string) => {
    const items = new RegExp(`"${name}"\\s*:\\s*\\[([^\\]]*)`).exec(raw)?.[1] ?? "";
    return [...items.matchAll(/"(?:[^"\\]|\\.)*"(?=\s*[,\]]|\s*$)/g)]
      .map((m) => readString(m[0]))
      .filter((v): v is string => v !== null && v.trim() !== "")
      .map((v) => v.trim());
  };
  const tone = readString(/"tone"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(raw)?.[1])?.toLowerCase() ?? "";
  return {
    summary: summary.trim(),
    decisions: list("decisions"),
    lessons: list("lessons"),
    surprises: list("surprises"),
    tone: (TONES as readonly string[]).includes(tone) ? tone as Tone : "neutral",
  };
}

function readString(literal: string | undefined): string | null {
  if (literal === undefined) return null;
  try {
    const value = JSON.parse(literal);
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}

/** A reflection made of a plain summary, when the structured one failed. */
export function plainReflection(summary: string): Reflection {
  return { summary: summary.trim(), decisions: [], lessons: [], surprises: [], tone: "neutral" };
}

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === "string")
    .map((v) => v.trim()).filter((v) => v !== "");
}

/** The first balanced `{...}` in `text` that parses as a JSON object. */
function firstJsonObject(text: string): Record<string, unknown> | null {
  const cleaned = text.replace(/```(?:json)?/gi, "");
  for (let start = cleaned.indexOf("{"); start >= 0; start = cleaned.indexOf("{", start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < cleaned.length; i++) {
      const c = cleaned[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) {
        try {
          const parsed = JSON.parse(cleaned.slice(start, i + 1));
          if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
            return parsed as Record<string, unknown>;
          }
        } catch { /* try the next "{" */ }
        break;
      }
    }
  }
  return null;
}
