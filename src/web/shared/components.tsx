import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, api, type SessionUser } from './api-client';
import { LOCALES, setLocale, translator, useLocale, type Locale } from './i18n';

const useT = translator({
  en: {
    username: 'Username', password: 'Password', signIn: 'Sign in', signingIn: 'Signing in…', signOut: 'Sign out',
    language: 'Language', wrongCredentials: 'Wrong username or password.', dismiss: 'Dismiss',
    referencedBy: 'Still relied on by:',
  },
  ru: {
    username: 'Имя пользователя', password: 'Пароль', signIn: 'Войти', signingIn: 'Вход…', signOut: 'Выйти',
    language: 'Язык', wrongCredentials: 'Неверное имя пользователя или пароль.', dismiss: 'Закрыть',
    referencedBy: 'На эту запись ещё ссылаются:',
  },
});

/** The sign-in form both apps show until there is a session. */
export function LoginView(props: { title: string; onLoggedIn: (user: SessionUser) => void }): preact.JSX.Element {
  const t = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onLoggedIn(await api.login(username.trim(), password));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('wrongCredentials') : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <form class="login-card" onSubmit={(e) => void submit(e)} aria-label={props.title}>
        <h1>{props.title}</h1>
        <label>
          {t('username')}
          <input name="username" autocomplete="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} required />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required />
        </label>
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>{busy ? t('signingIn') : t('signIn')}</button>
        <LanguageSwitch />
      </form>
    </main>
  );
}

export function LanguageSwitch(): preact.JSX.Element {
  const t = useT();
  const locale = useLocale();
  return (
    <label class="language-switch">
      <span class="visually-hidden">{t('language')}</span>
      <select aria-label={t('language')} value={locale} onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
        {LOCALES.map((l) => <option value={l} key={l}>{l === 'en' ? 'English' : 'Русский'}</option>)}
      </select>
    </label>
  );
}

export function SignOutButton(props: { onSignedOut: () => void }): preact.JSX.Element {
  const t = useT();
  return <button type="button" onClick={() => void api.logout().finally(props.onSignedOut)}>{t('signOut')}</button>;
}

/** An error the user can read and dismiss; schema errors list the fields the server named. */
export function ErrorBanner(props: { error: ApiError | Error | string | null; onDismiss?: () => void }): preact.JSX.Element | null {
  const t = useT();
  if (!props.error) return null;
  const error = props.error;
  const message = typeof error === 'string' ? error : error.message;
  const details = error instanceof ApiError ? error.details : [];
  // A refused delete or deactivation (issue 15): each detail is one place that still names the record.
  const references = error instanceof ApiError && error.code === 'REFERENCE_IN_USE';
  return (
    <div class="banner error" role="alert">
      <span>{message}</span>
      {details.length > 0 && references && <div>{t('referencedBy')}</div>}
      {details.length > 0 && (
        <ul>{details.map((d, i) => <li key={i}>{d.path ? <code>{d.path}</code> : null}{d.path && references ? ' — ' : ' '}{d.message}</li>)}</ul>
      )}
      {props.onDismiss && <button type="button" class="link" onClick={props.onDismiss}>{t('dismiss')}</button>}
    </div>
  );
}

export function Card(props: { title?: ComponentChildren; children: ComponentChildren; class?: string; label?: string }): preact.JSX.Element {
  return (
    <section class={`card ${props.class ?? ''}`} aria-label={props.label}>
      {props.title && <h2>{props.title}</h2>}
      {props.children}
    </section>
  );
}
