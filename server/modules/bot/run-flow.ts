import { randomUUID } from 'node:crypto';
import type { AttributeKind, FlowDefinition, FlowStep } from '../../../protocol/flows.js';
import { type Translations, translated } from '../../../protocol/languages.js';
import { LIMITS } from '../../../protocol/limits.js';
import type { ActionRef } from '../../../protocol/structured.js';
import { languageOf, type VisitorTextKey, visitorText } from '../../i18n/visitor-texts.js';
import { nowIso } from '../../platform/clock.js';
import type { BotFlowsTable, FlowRunsTable } from '../../platform/db/schema-flows.js';
import { findConversationById } from '../conversations/lookups.js';
import { getVisitorProfile } from '../visitors/get-visitor-profile.js';
import { answerQuestion } from './answer-question.js';
import { type BotTurn, botReply, handOff } from './bot-context.js';
import { readEmailAnswer, SKIP_ACTION_ID, skipAction } from './email-answer.js';
import { findFlowVersion, findRun, insertCheckpoint, saveRun } from './flow.repository.js';
import { recordAttribute, recordConsent } from './record-lead.js';
import { validateAttribute } from './validate-attribute.js';

const DEFAULT_RETRIES = 2;

/** Where a run stands; `counter` numbers the bot's replies within this turn. */
interface Cursor {
  turn: BotTurn;
  flowId: string;
  version: number;
  definition: FlowDefinition;
  counter: number;
}

export async function startFlow(turn: BotTurn, flow: BotFlowsTable): Promise<void> {
  const version = await findFlowVersion(turn.db, flow.id, flow.version);
  if (!version) return;
  const definition = JSON.parse(version.definition) as FlowDefinition;
  await runFrom({ turn, flowId: flow.id, version: flow.version, definition, counter: 0 }, definition.start);
}

/** The visitor answered the step the run waits on (buttons or a question). */
export async function advanceFlow(turn: BotTurn, run: FlowRunsTable): Promise<void> {
  if (!run.flow_id || run.flow_version === null || !run.step_id) return;
  const version = await findFlowVersion(turn.db, run.flow_id, run.flow_version);
  if (!version) return finish(turn, run.flow_id, run.flow_version);
  const definition = JSON.parse(version.definition) as FlowDefinition;
  const cursor: Cursor = { turn, flowId: run.flow_id, version: run.flow_version, definition, counter: 0 };
  const step = definition.steps.find((s) => s.id === run.step_id);
  if (!step) return finish(turn, run.flow_id, run.flow_version);
  const target = {
    db: turn.db,
    vault: turn.vault,
    workspaceId: turn.conversation.workspace_id,
    visitorId: turn.conversation.visitor_id,
  };

  if (step.kind === 'buttons') {
    const index = chosenButton(step, run, turn.message.action_ref, turn.message.body);
    const button = index === null ? undefined : step.buttons[index];
    if (!button) return retry(cursor, run, step, visitorText(lang(turn), 'chooseOption'));
    if (button.consent !== undefined)
      await recordConsent({
        ...target,
        granted: button.consent,
        // The words the visitor was shown, in their language.
        wording: `${said(turn, step.text, step.texts)} — ${said(turn, button.label, button.labels)}`,
      });
    return button.next ? runFrom(cursor, button.next) : finish(turn, cursor.flowId, cursor.version);
  }
  if (step.kind === 'ask' && step.attribute === 'email') return advanceEmailStep(cursor, run, step, target);
  if (step.kind === 'ask') {
    const value = validateAttribute(step.attribute, turn.message.body);
    if (value === null) return retry(cursor, run, step, retryPrompt(turn, step));
    await recordAttribute({
      ...target,
      kind: step.attribute,
      field: step.field,
      value,
      source: `flow:${cursor.flowId}`,
    });
    return step.next ? runFrom(cursor, step.next) : finish(turn, cursor.flowId, cursor.version);
  }
}

/**
 * An email step takes an address found anywhere in the message, and offers a skip. A message with
 * no attempt at an address is a question of its own ("Do you sell kayaks?"): it is answered (or
 * handed to people) like any other, and the step keeps waiting without counting it as a wrong answer.
 */
async function advanceEmailStep(
  cursor: Cursor,
  run: FlowRunsTable,
  step: Extract<FlowStep, { kind: 'ask' }>,
  target: { db: BotTurn['db']; vault: BotTurn['vault']; workspaceId: string; visitorId: string },
): Promise<void> {
  const { turn } = cursor;
  const next = () => (step.next ? runFrom(cursor, step.next) : finish(turn, cursor.flowId, cursor.version));
  if (skipped(run, turn.message.action_ref)) return next();
  const answer = readEmailAnswer(turn.message.body);
  if (answer.kind === 'skip') return next();
  if (answer.kind === 'invalid') return retry(cursor, run, step, retryPrompt(turn, step));
  if (answer.kind === 'question') {
    await answerQuestion(turn);
    // Handed to people: the flow is over, people take it from here.
    const now = await findConversationById(turn.db, turn.conversation.id);
    if (now?.handoff_state !== 'bot') {
      const latest = await findRunOf(turn);
      if (latest?.awaiting === 'flow') await finish(turn, cursor.flowId, cursor.version);
    }
    return;
  }
  await recordAttribute({
    ...target,
    kind: 'email',
    field: step.field,
    value: answer.email,
    source: `flow:${cursor.flowId}`,
  });
  return next();
}

function skipped(run: FlowRunsTable, actionRef: string | null): boolean {
  if (!actionRef) return false;
  const ref = JSON.parse(actionRef) as ActionRef;
  return ref.id === SKIP_ACTION_ID && ref.seq === run.prompt_seq;
}

function findRunOf(turn: BotTurn) {
  return findRun(turn.db, turn.conversation.id);
}

function chosenButton(
  step: Extract<FlowStep, { kind: 'buttons' }>,
  run: FlowRunsTable,
  actionRef: string | null,
  body: string,
): number | null {
  if (actionRef) {
    // The socket already checked the button was offered on that message; it must be this step's.
    const ref = JSON.parse(actionRef) as ActionRef;
    const m = /^fb_(\d+)$/.exec(ref.id);
    return ref.seq === run.prompt_seq && m ? Number(m[1]) : null;
  }
  // A label typed out counts, in any of its languages.
  const typed = body.trim().toLowerCase();
  const i = step.buttons.findIndex((b) =>
    [b.label, ...Object.values(b.labels ?? {})].some((l) => l?.toLowerCase() === typed),
  );
  return i >= 0 ? i : null;
}

/** The conversation's language (null: from before languages, the default's texts). */
const lang = (turn: BotTurn): string | null => turn.conversation.language;

/** A flow text in the conversation's language, when the flow gives it in that language. */
function said(turn: BotTurn, text: string, texts: Translations | undefined): string {
  return translated(text, texts, languageOf(lang(turn)));
}

const RETRY_KEYS: Record<AttributeKind, VisitorTextKey> = {
  email: 'retryEmail',
  phone: 'retryPhone',
  order_number: 'retryOrderNumber',
  text: 'retryText',
};

/** The step's own retry text (in the visitor's language when given), else Parley's for the kind. */
function retryPrompt(turn: BotTurn, step: Extract<FlowStep, { kind: 'ask' }>): string {
  if (step.retryText) return said(turn, step.retryText, step.retryTexts);
  return visitorText(lang(turn), RETRY_KEYS[step.attribute], { max: LIMITS.maxCustomFieldChars });
}

/** A wrong answer: ask again with a clear prompt, or hand off after the step's retries. */
async function retry(cursor: Cursor, run: FlowRunsTable, step: FlowStep, prompt: string): Promise<void> {
  const limit = step.kind === 'ask' ? (step.maxRetries ?? DEFAULT_RETRIES) : DEFAULT_RETRIES;
  if (run.attempts >= limit) {
    await finish(cursor.turn, cursor.flowId, cursor.version);
    await handOff(cursor.turn, 'flow');
    return;
  }
  const seq = await botReply(cursor.turn, cursor.counter++, prompt, choicesOf(cursor.turn, step));
  await save(cursor.turn, {
    ...run,
    prompt_seq: step.kind === 'buttons' || isEmailStep(step) ? seq : run.prompt_seq,
    attempts: run.attempts + 1,
    updated_at: nowIso(),
  });
}

const buttonsOf = (turn: BotTurn, step: Extract<FlowStep, { kind: 'buttons' }>) => ({
  actions: step.buttons.map((b, i) => ({
    id: `fb_${i}`,
    kind: 'reply' as const,
    label: said(turn, b.label, b.labels),
  })),
});
const isEmailStep = (step: FlowStep) => step.kind === 'ask' && step.attribute === 'email';
/** The quick replies under a step's prompt: its buttons, or Skip under an email question. */
function choicesOf(turn: BotTurn, step: FlowStep) {
  if (step.kind === 'buttons') return buttonsOf(turn, step);
  return isEmailStep(step) ? { actions: [skipAction(lang(turn))] } : undefined;
}

/** Runs steps that need no answer until one waits for the visitor, hands off, or the flow ends. */
async function runFrom(cursor: Cursor, stepId: string): Promise<void> {
  const { turn, definition } = cursor;
  let id: string | undefined = stepId;
  // The graph check guarantees this ends; the bound is a second line of defence.
  for (let hops = 0; id && hops <= definition.steps.length; hops++) {
    const step = definition.steps.find((s) => s.id === id);
    if (!step) break;
    switch (step.kind) {
      case 'message':
        await botReply(turn, cursor.counter++, said(turn, step.text, step.texts));
        id = step.next;
        break;
      case 'checkpoint':
        await checkpoint(cursor, step.name);
        id = step.next;
        break;
      case 'buttons': {
        const seq = await botReply(
          turn,
          cursor.counter++,
          said(turn, step.text, step.texts),
          buttonsOf(turn, step),
        );
        return wait(cursor, step.id, seq);
      }
      case 'ask': {
        const seq = await botReply(
          turn,
          cursor.counter++,
          said(turn, step.text, step.texts),
          choicesOf(turn, step),
        );
        return wait(cursor, step.id, isEmailStep(step) ? seq : null);
      }
      case 'handoff':
        if (step.text) await botReply(turn, cursor.counter++, said(turn, step.text, step.texts));
        await finish(turn, cursor.flowId, cursor.version, step.teamId ?? null);
        await handOff(turn, 'flow');
        return;
    }
  }
  await finish(turn, cursor.flowId, cursor.version);
}

function wait(cursor: Cursor, stepId: string, promptSeq: number | null): Promise<void> {
  return save(cursor.turn, {
    conversation_id: cursor.turn.conversation.id,
    workspace_id: cursor.turn.conversation.workspace_id,
    flow_id: cursor.flowId,
    flow_version: cursor.version,
    step_id: stepId,
    prompt_seq: promptSeq,
    attempts: 0,
    awaiting: 'flow',
    handoff_team_id: null,
    updated_at: nowIso(),
  });
}

/** The run stays as a record (a flow does not start twice in a conversation) but waits no more. */
function finish(turn: BotTurn, flowId: string, version: number, teamId: string | null = null): Promise<void> {
  return save(turn, {
    conversation_id: turn.conversation.id,
    workspace_id: turn.conversation.workspace_id,
    flow_id: flowId,
    flow_version: version,
    step_id: null,
    prompt_seq: null,
    attempts: 0,
    awaiting: null,
    handoff_team_id: teamId,
    updated_at: nowIso(),
  });
}

function save(turn: BotTurn, row: FlowRunsTable): Promise<void> {
  return saveRun(turn.db, row);
}

/** Records that the visitor got here, with what they had told so far, sealed under their key. */
async function checkpoint(cursor: Cursor, name: string): Promise<void> {
  const { turn } = cursor;
  const { db, vault, conversation } = turn;
  const profile = await getVisitorProfile({
    db,
    vault,
    workspaceId: conversation.workspace_id,
    visitorId: conversation.visitor_id,
  });
  const key = await vault.forVisitor(db, conversation.workspace_id, conversation.visitor_id);
  const id = randomUUID();
  const data = JSON.stringify({ email: profile.email, phone: profile.phone, custom: profile.custom });
  await insertCheckpoint(db, {
    id,
    workspace_id: conversation.workspace_id,
    conversation_id: conversation.id,
    flow_id: cursor.flowId,
    name,
    data: key.seal('conversation_checkpoints', 'data', id, data),
    created_at: nowIso(),
  });
}
