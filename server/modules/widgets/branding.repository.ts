import type { Executor } from '../../platform/db/schema.js';
import type { WidgetBrandingTable } from '../../platform/db/schema-branding.js';

export type BrandingSettings = Omit<WidgetBrandingTable, 'avatar' | 'avatar_version'>;

/** Everything but the avatar's bytes, which only the avatar route reads. */
export function findBranding(db: Executor, widgetId: string) {
  return db
    .selectFrom('widget_branding')
    .select([
      'widget_id',
      'workspace_id',
      'color',
      'position',
      'offset_x',
      'offset_y',
      'icon',
      'label',
      'powered_by',
      'avatar_version',
      'updated_at',
    ])
    .select((eb) => eb('avatar', 'is not', null).as('has_avatar'))
    .where('widget_id', '=', widgetId)
    .executeTakeFirst();
}

export function findAvatar(db: Executor, widgetId: string) {
  return db
    .selectFrom('widget_branding')
    .select(['avatar', 'avatar_version'])
    .where('widget_id', '=', widgetId)
    .where('avatar', 'is not', null)
    .executeTakeFirst();
}

/** Writes the settings; the avatar (and its version) stay as they are. */
export async function upsertBranding(db: Executor, row: BrandingSettings): Promise<void> {
  const { widget_id: _id, workspace_id: _ws, ...settings } = row;
  await db
    .insertInto('widget_branding')
    .values({ ...row, avatar: null, avatar_version: 0 })
    .onConflict((oc) => oc.column('widget_id').doUpdateSet(settings))
    .execute();
}

/** Sets (or with null, removes) the avatar; a new version either way, so no cache shows the old one. */
export async function setAvatar(
  db: Executor,
  defaults: BrandingSettings,
  avatar: Buffer | null,
): Promise<void> {
  await db
    .insertInto('widget_branding')
    .values({ ...defaults, avatar, avatar_version: 1 })
    .onConflict((oc) =>
      oc.column('widget_id').doUpdateSet((eb) => ({
        avatar,
        avatar_version: eb('widget_branding.avatar_version', '+', 1),
        updated_at: defaults.updated_at,
      })),
    )
    .execute();
}
