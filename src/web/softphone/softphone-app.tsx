import type { SessionUser } from '../shared/api-client';
import { SignOutButton } from '../shared/components';

/** Placeholder until the softphone screen lands; replaced wholesale by it. */
export function SoftphoneApp(props: { user: SessionUser; onSignedOut: () => void }): preact.JSX.Element {
  return (
    <main>
      <p>{props.user.username}</p>
      <SignOutButton onSignedOut={props.onSignedOut} />
    </main>
  );
}
