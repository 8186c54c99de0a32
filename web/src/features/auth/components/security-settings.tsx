import { useQuery } from '@/lib/use-query';
import { getSessions } from '../api/account-security';
import { ChangePasswordForm } from './change-password-form';
import { SessionsList } from './sessions-list';

// The account page's security part: «Пароль» and «Где выполнен вход». A new password ends the other sessions,
// so the list is loaded here and reloaded after the change.
export function SecuritySettings() {
  const sessions = useQuery((signal) => getSessions(signal), []);
  return (
    <>
      <ChangePasswordForm onChanged={() => void sessions.reload()} />
      <SessionsList sessions={sessions} />
    </>
  );
}
