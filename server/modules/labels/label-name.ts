/**
 * Two labels are one when their names fold to the same key: "Billing", "billing " and "ＢＩＬＬＩＮＧ"
 * would only confuse a filter menu. The name is kept as typed (trimmed, inner spaces collapsed).
 */
export function cleanLabelName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ');
}

export function labelNameKey(name: string): string {
  return cleanLabelName(name).toLowerCase();
}
