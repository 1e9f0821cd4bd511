/** The tab title: the screen's own title, prefixed with the unread count while there is one. */
let base = 'Parley';
let unread = 0;

function apply(): void {
  document.title = unread > 0 ? `(${unread}) ${base}` : base;
}

export function setScreenTitle(title: string): void {
  base = title ? `${title} · Parley` : 'Parley';
  apply();
}

export function setUnreadTitleCount(count: number): void {
  unread = count;
  apply();
}
