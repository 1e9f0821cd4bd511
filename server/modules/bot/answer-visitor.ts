import type { KnowledgeLanguage } from '../../../protocol/knowledge-api.js';
import { isLanguage } from '../../../protocol/languages.js';
import type { MessageAction, StructuredContent } from '../../../protocol/structured.js';
import { languageOf } from '../../i18n/visitor-texts.js';
import { recordBotMiss } from '../conversations/bot-state.js';
import { postMessage } from '../conversations/post-message.js';
import { resolveAction } from '../conversations/resolve-action.js';
import { loadKnowledge } from '../knowledge/knowledge-cache.js';
import { asksForPerson } from '../knowledge/normalize.js';
import { type KnowledgeMatch, searchKnowledge } from '../knowledge/search-knowledge.js';
import { type BotTurn, handOff } from './bot-context.js';
import { articleAction, articleIdOf, handoffAction, suggestionReply } from './bot-replies.js';

/**
 * The bot's turn after a visitor's message: answer from the knowledge base, offer suggestions, or
 * hand off to a person. It runs after the visitor's message was acked and published, never in the
 * way of it. The reply's client id derives from the visitor's message, so running twice (a retry,
 * a second node) stores one reply.
 */
export async function answerVisitor(turn: BotTurn): Promise<void> {
  const { db, message, conversation, widget } = turn;
  if (message.author_kind !== 'visitor') return;
  if (conversation.status !== 'open' || conversation.handoff_state !== 'bot') return;
  const workspaceId = conversation.workspace_id;
  // Without a bot to speak for it, a handoff is not announced: people answer anyway.
  const handoff = (trigger: 'visitor_asked' | 'button' | 'bot_misses' | 'no_bot') =>
    handOff(turn, trigger, trigger !== 'no_bot');

  const action: MessageAction | null = message.action_ref
    ? await resolveAction(db, conversation.id, JSON.parse(message.action_ref)).catch(() => null)
    : null;
  if (action?.kind === 'handoff') return void (await handoff('button'));
  // Without a knowledge base the bot has nothing to say: the conversation queues for people at once.
  const knowledge = await loadKnowledge(db, workspaceId);
  if (knowledge.index.size === 0) return void (await handoff('no_bot'));
  if (!action && asksForPerson(message.body)) return void (await handoff('visitor_asked'));
  // Files alone ask nothing the knowledge base could answer: the bot waits for words instead of
  // replying "not found" and counting a miss (enough misses hand the visitor off).
  if (!action && message.body.trim() === '') return;

  const reply = async (body: string, structured: StructuredContent) => {
    await postMessage(turn, {
      conversationId: conversation.id,
      author: { kind: 'bot', id: widget.id, name: widget.bot_name },
      clientId: `bot_${message.id.replace(/-/g, '')}`,
      body,
      structured,
    });
  };

  const chosen = action ? knowledge.articles.get(articleIdOf(action.id) ?? '') : undefined;
  const matches = chosen
    ? [{ article: chosen, confidence: 1 }]
    : await searchInLanguage(turn, (languages) =>
        searchKnowledge({ db, workspaceId, query: message.body, limit: 3, languages }),
      );
  const best = matches[0];
  if (best && best.confidence * 100 >= widget.bot_min_confidence) {
    await recordBotMiss(db, conversation.id, false);
    await reply(best.article.body, {
      parts: [{ type: 'source', title: best.article.title, articleId: best.article.id }],
    });
    return;
  }
  const misses = await recordBotMiss(db, conversation.id, true);
  if (widget.bot_handoff_after_misses > 0 && misses >= widget.bot_handoff_after_misses) {
    await handoff('bot_misses');
    return;
  }
  const suggestions = matches.map((m) => articleAction(m.article));
  const language = conversation.language;
  await reply(suggestionReply(language, suggestions.length > 0), {
    actions: [...suggestions, handoffAction(language)],
  });
}

/**
 * The visitor's language first: an answer from an article in it, when one answers well enough;
 * else the widget's default language's articles (and those of no particular language). Suggestions
 * come from the first search that found any. A conversation from before languages searches all.
 */
async function searchInLanguage(
  turn: BotTurn,
  search: (languages: readonly KnowledgeLanguage[] | undefined) => Promise<KnowledgeMatch[]>,
): Promise<KnowledgeMatch[]> {
  const { conversation, widget } = turn;
  if (!isLanguage(conversation.language)) return search(undefined);
  const own = await search([conversation.language]);
  const top = own[0];
  if (top && top.confidence * 100 >= widget.bot_min_confidence) return own;
  const fallback = languageOf(widget.default_language);
  const others = await search(fallback === conversation.language ? ['other'] : [fallback, 'other']);
  const best = others[0];
  if (best && best.confidence * 100 >= widget.bot_min_confidence) return others;
  return own.length > 0 ? own : others;
}
