import type { AuthMethod, Level } from '../db/schema.js';
import { html, type SafeHtml } from './html.js';
import type { PageContext } from './layout.js';
import { titledPage } from './fragments.js';

/**
 * What a session below the level a service needs should do (R6, R15, R18):
 * - `await_letter`: a semplificato session (the first 8 characters alone) waits for the letter
 *   and logs in with the 16 characters; it cannot convert, conversion needs an ordinario PIN;
 * - `log_in_again`: the PIN became dispositivo after this session was opened as ordinario;
 * - `convert`: an ordinario PIN, which may be converted (or SPID, CIE, CNS used instead).
 */
export type LevelAdvice = 'await_letter' | 'log_in_again' | 'convert';

export function levelAdvice(current: Level, o: { pinDispositivo: boolean }): LevelAdvice {
  if (current === 'semplificato') return 'await_letter';
  return o.pinDispositivo ? 'log_in_again' : 'convert';
}

/** The explanation and the way on for each advice; `ritorno` is where the new login leads back to. */
export function levelAdviceBlock(ctx: PageContext, advice: LevelAdvice, o: { required: Level; ritorno: string; loginButton?: boolean }): SafeHtml {
  const { t } = ctx;
  const login = `/accedi?ritorno=${encodeURIComponent(o.ritorno)}`;
  const button = (label: string) => (o.loginButton === false ? '' : html`<p><a class="btn btn-primary" href="${login}" id="level-login">${label}</a></p>`);
  if (advice === 'await_letter') {
    return html`<div id="level-advice" data-advice="await_letter">
<p>${t('levels.semplificato.wait')}</p>
${o.required === 'dispositivo' ? html`<p>${t('levels.semplificato.waitDispositivo')}</p>` : ''}
<p>${t('levels.alternatives')}</p>
${button(t('levels.loginFull'))}
</div>`;
  }
  if (advice === 'log_in_again') {
    return html`<div id="level-advice" data-advice="log_in_again">
<p>${t('levels.relogin')}</p>
${button(t('levels.loginAgain'))}
</div>`;
  }
  return html`<div id="level-advice" data-advice="convert">
<p>${t('level.howto')}</p>
<p><a href="/pin/dispositivo">${t('profile.convert')}</a></p>
</div>`;
}

/** R18: the page a session of too low a level gets, saying how to reach the level. */
export function levelPage(ctx: PageContext, o: { required: Level; current: Level; advice: LevelAdvice; ritorno: string }): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('level.title') },
    html`<div class="alert alert-warning" role="status">${t('level.body', { required: t(`level.${o.required}`), current: t(`level.${o.current}`) })}</div>
${levelAdviceBlock(ctx, o.advice, { required: o.required, ritorno: o.ritorno })}`,
  );
}

/** A PIN operation asked from a session opened with SPID, CIE or CNS. */
export function noPinPage(ctx: PageContext, method: AuthMethod): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('level.noPin.title') },
    html`<div class="alert alert-warning" role="status" id="no-pin">${t('level.noPin.body', { method: t(`profile.kind.${method}`) })}</div>
<p><a href="/pin">${t('access.manage')}</a></p>`,
  );
}
