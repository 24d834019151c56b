import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../shared/base.css';
import './admin.css';
import { api, type SessionUser } from '../shared/api-client';
import { LanguageSwitch, LoginView, SignOutButton } from '../shared/components';
import { translator, useLocale } from '../shared/i18n';
import { navigate, useHashRoute } from '../shared/hash-route';
import { ADMIN_PAGES } from './pages';

const useT = translator({
  en: {
    title: 'Switchboard admin', notAllowed: 'Your role ({role}) may not open the admin and supervisor pages.',
    openSoftphone: 'Open the softphone', noSuchPage: 'There is no page here.', menu: 'Main menu', signedInAs: 'Signed in as {name} ({role})',
  },
  ru: {
    title: 'Switchboard — администрирование', notAllowed: 'Ваша роль ({role}) не даёт доступа к страницам администратора и супервизора.',
    openSoftphone: 'Открыть софтфон', noSuchPage: 'Такой страницы нет.', menu: 'Главное меню', signedInAs: 'Вы вошли как {name} ({role})',
  },
});

function AdminApp(): preact.JSX.Element {
  const t = useT();
  const locale = useLocale();
  const [user, setUser] = useState<SessionUser | null>(api.user);
  const route = useHashRoute();
  useEffect(() => api.onUnauthenticated(() => setUser(null)), []);

  if (!user) return <LoginView title={t('title')} onLoggedIn={setUser} />;
  const visible = ADMIN_PAGES.filter((p) => p.roles.includes(user.role));
  if (visible.length === 0) {
    return (
      <main class="login">
        <div class="login-card" role="alert">
          <p>{t('notAllowed', { role: user.role })}</p>
          <a href="/softphone/">{t('openSoftphone')}</a>
          <SignOutButton onSignedOut={() => setUser(null)} />
        </div>
      </main>
    );
  }
  const first = route.segments[0];
  const page = visible.find((p) => p.path === first);
  if (!page && visible[0]) {
    // The landing page is the first one this role may open.
    if (!first) navigate(visible[0].path);
  }
  const Page = page?.component;
  return (
    <div class="admin-shell">
      <header class="topbar">
        <span class="brand">Switchboard</span>
        <span class="spacer" />
        <span aria-label="user">{t('signedInAs', { name: user.username, role: user.role })}</span>
        <LanguageSwitch />
        <SignOutButton onSignedOut={() => setUser(null)} />
      </header>
      <nav class="sidebar" aria-label={t('menu')}>
        {visible.map((p) => (
          <a key={p.path} href={`#/${p.path}`} aria-current={p.path === first ? 'page' : undefined}>{p.label[locale]}</a>
        ))}
      </nav>
      <main class="content">
        {Page ? <Page user={user} route={route} /> : first ? <p role="alert">{t('noSuchPage')}</p> : null}
      </main>
    </div>
  );
}

render(<AdminApp />, document.getElementById('app') as HTMLElement);
