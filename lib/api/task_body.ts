/**
 * Reading a `POST /task` body: `{task_id?, task_type, payload, priority?, timeout_seconds?}`
 * (and the Python mycoSwarm's `source_node`, accepted and unused). Errors name the field.
 *
 * @module
 */

import { isTaskId, isTaskType, TASK_TYPES, type TaskInput } from "../orchestrator/mod.ts";
import { invalidField, optionalInteger } from "../core/mod.ts";
import { parseJsonObject } from "./_json_body.ts";

/**
 * Parses the request body text.
 *
 * @throws MycoError `invalid_input` (400) for text that is not a JSON object or a bad field
 */
export function parseTaskBody(text: string): TaskInput {
  const fields = parseJsonObject(text);
  const type = fields.task_type;
  if (type === undefined || type === null) throw invalidField("task_type", "is required");
  if (!isTaskType(type)) {
    throw invalidField("task_type", `must be one of ${TASK_TYPES.join(", ")}`);
  }
  const payload = fields.payload ?? {};
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw invalidField("payload", "must be a JSON object");
  }
  const id = fields.task_id;
  if (id !== undefined && id !== null && !isTaskId(id)) {
    throw invalidField("task_id", "must be 1–128 letters, digits or . _ : -");
  }
  if (fields.source_node !== undefined && typeof fields.source_node !== "string") {
    throw invalidField("source_node", "must be a string");
  }
  const priority = optionalInteger(fields, "priority", { min: 1, max: 10 });
  const timeout = optionalInteger(fields, "timeout_seconds", { min: 1, max: 3600 });
  return {
    task_type: type,
    payload: payload as Record<string, unknown>,
    ...(typeof id === "string" ? { task_id: id } : {}),
    ...(priority === undefined ? {} : { priority }),
    ...(timeout === undefined ? {} : { timeout_seconds: timeout }),
  };
}
