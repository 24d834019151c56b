import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../shared/base.css';
import './softphone.css';
import { api, type SessionUser } from '../shared/api-client';
import { LoginView } from '../shared/components';
import { translator } from '../shared/i18n';
import { SoftphoneApp } from './softphone-app';

const useT = translator({ en: { title: 'Switchboard softphone' }, ru: { title: 'Софтфон Switchboard' } });

function Root(): preact.JSX.Element {
  const t = useT();
  const [user, setUser] = useState<SessionUser | null>(api.user);
  useEffect(() => api.onUnauthenticated(() => setUser(null)), []);
  if (!user) return <LoginView title={t('title')} onLoggedIn={setUser} />;
  return <SoftphoneApp user={user} onSignedOut={() => setUser(null)} />;
}

render(<Root />, document.getElementById('app') as HTMLElement);
