import type { KnowledgeLanguage } from '../../../protocol/knowledge-api.js';

/**
 * Words that say nothing about which article answers a question. Lists are accent-folded, like
 * the text they are compared with. Question words ("how", "where") are stop words too: nearly every
 * question has one, so they only add noise to the ranking.
 */
const EN = `a about above after again all am an and any are as at be been being but by can could
did do does doing done for from get gets getting got had has have having he her here hers him his how
i if in into is it its just me might more most must my no nor not now of off on once only or other
our ours out over own please same she should so some such than that the their them then there these
they this those to too under until up very was we were what when where which while who whom why will
with would you your yours yourself hi hello hey thanks thank ok okay want wanted need needs like also
im ive id dont cant doesnt didnt isnt wont still yet way tell know`;

const FR = `a au aux avec ce ces comment dans de des du elle en est et eux il ils je la le les leur lui
ma mais me mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes
toi ton tu un une vos votre vous c d j l m n s t y ete etre avoir ai as avons avez ont suis es sommes
etes sont bonjour merci quand quel quelle quels quelles puis peux peut`;

const DE = `aber alle als am an auch auf aus bei bin bis bist da das dass dem den der des die doch du
ein eine einem einen einer eines er es fur hat hatte ich ihr im in ist ja kann konnen mein meine mich
mir mit nach nicht noch nun nur ob oder sich sie sind so uber um und uns unser von vor war was wie
wir wird wo zu zum zur hallo danke wann warum welche`;

const ES = `a al algo como con de del el ella ellos en es esta este esto hay la las le les lo los me mi
mis muy no nos o para pero por que se si sin su sus te tu un una unos y ya yo hola gracias cuando
donde cual puedo puede quiero`;

const LISTS: Record<KnowledgeLanguage, ReadonlySet<string>> = {
  en: new Set(EN.split(/\s+/)),
  fr: new Set(FR.split(/\s+/)),
  de: new Set(DE.split(/\s+/)),
  es: new Set(ES.split(/\s+/)),
  pt: new Set(),
  it: new Set(),
  nl: new Set(),
  pl: new Set(),
  ar: new Set(),
  other: new Set(),
};

export function isStopWord(language: KnowledgeLanguage, word: string): boolean {
  return LISTS[language].has(word);
}
