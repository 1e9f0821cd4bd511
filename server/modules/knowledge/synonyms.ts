import type { KnowledgeLanguage } from '../../../protocol/knowledge-api.js';
import { stem } from './stemmers.js';

/**
 * Words customers use for the same thing, each group folded onto its first word before stemming,
 * in articles and questions alike. Kept to groups that never mean different things in a support
 * conversation: merging "pay" and "refund" would blur exactly the distinction the bot must make.
 */
const GROUPS: Record<KnowledgeLanguage, readonly string[]> = {
  en: [
    'package parcel parcels shipment shipments packet',
    'ship shipping shipped deliver delivery delivered deliveries dispatch dispatched postage',
    'arrive arrives arrived arrival reach reached',
    'refund refunds refunded reimburse reimbursement reimbursed',
    'cancel cancellation cancelled canceled terminate stop',
    'password passcode passphrase',
    'login signin logon',
    'invoice invoices receipt receipts bill',
    'charge charged billed debited',
    'cost costs fee fees price prices pricing',
    'coupon coupons voucher vouchers promo discount discounts',
    'damaged damage broken defective faulty cracked',
    'email mail emails',
    'phone telephone mobile cellphone',
    'track tracking trace',
    'person human agent operator representative rep somebody someone staff',
    'subscription subscriptions membership plan plans',
    'money cash funds',
    'purchase purchases bought buy',
    'abroad international overseas worldwide',
    'late delayed delay overdue',
    'currency dollar dollars euro euros pound pounds usd eur gbp',
    'vat tax taxes',
    'history past previous earlier',
    'stock restock unavailable availability',
    'preorder preorders reserve reserved reservation',
    'exchange swap trade',
    'account profile',
    'register signup registration',
    'unsubscribe optout',
    'newsletter promotional marketing',
    'warranty guarantee covered',
    'sustainability environment eco ecological sustainable green carbon recycled recyclable',
    'hours open opening close closing weekend weekends',
    'store stores retail',
    'business wholesale bulk volume corporate company',
    'website site webpage',
    'error crash crashing crashes bug',
    'data information',
    'delete erase erased',
    'size sizes fit fits measurements',
    'wash washing launder dryer',
    'decline declined rejected refused failed',
    'instalment instalments installment installments klarna split',
    'gift present',
    'balance remaining remains',
    'login access',
    'basket cart',
    'accept accepted accepts take',
    'change update modify edit',
    'expire expires expiry expiration validity valid',
    'benefit benefits include includes perks',
  ],
  fr: ['colis paquet', 'remboursement rembourser', 'livraison expedition', 'annuler annulation'],
  de: ['paket sendung', 'erstattung ruckerstattung', 'lieferung versand', 'kundigen stornieren'],
  es: ['paquete envio', 'reembolso devolucion', 'entrega despacho', 'cancelar anular'],
  pt: [],
  it: [],
  nl: [],
  pl: [],
  ar: [],
  other: [],
};

const TABLES = new Map<KnowledgeLanguage, ReadonlyMap<string, string>>();

/**
 * word → the stem of its group's first word, for one language. Both the words as listed and their
 * stems are keys, so inflected forms nobody listed ("reaches") still find their group.
 */
export function synonymTable(language: KnowledgeLanguage): ReadonlyMap<string, string> {
  let table = TABLES.get(language);
  if (!table) {
    const map = new Map<string, string>();
    for (const group of GROUPS[language]) {
      const words = group.split(/\s+/);
      const head = stem(language, words[0] as string);
      for (const word of words) {
        map.set(word, head);
        if (!map.has(stem(language, word))) map.set(stem(language, word), head);
      }
    }
    table = map;
    TABLES.set(language, table);
  }
  return table;
}
