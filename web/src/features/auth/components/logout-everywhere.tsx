import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorMessage } from '@/components/ui/error-message';
import { ApiError } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import { logoutEverywhere } from '../api/account-security';

// «Выйти на всех устройствах», asked first: every session of the account ends, this one too. The gateway clears
// the cookie; the SPA then forgets the customer (GET /session says signed_in: false) and shows the sign-in page.
export function LogoutEverywhere() {
  const session = useSession();
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await logoutEverywhere();
    } catch (e) {
      // A 401: this session had ended already — signed out here either way.
      if (!(e instanceof ApiError && e.status === 401)) {
        setError(e);
        setBusy(false);
        return;
      }
    }
    // To /login first: forgetting the customer on this page would have RequireAuth send them to
    // /login?next=/account, back to a page they have just left everywhere.
    navigate('/login', { replace: true });
    await session.refresh();
  };

  return (
    <>
      <button type="button" onClick={() => setAsking(true)}>
        Выйти на всех устройствах
      </button>
      {asking && (
        <ConfirmDialog
          title="Выйти на всех устройствах?"
          confirmLabel="Выйти везде"
          busy={busy}
          onConfirm={() => void confirm()}
          onCancel={() => {
            setAsking(false);
            setError(null);
          }}
        >
          <p>Сеансы на всех устройствах, включая это, будут завершены.</p>
          <ErrorMessage error={error} />
        </ConfirmDialog>
      )}
    </>
  );
}
