import { useState, type FormEvent } from 'react';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { fieldError } from '@/lib/api-client';
import type { CustomerAccount, Role } from '@/types/api';
import { setRole } from '../api/set-role';
import { ROLE_LABEL, ROLES } from '../labels';

// «Роль» on the customer card, for admins (never on their own account): the user's sessions end, and they sign in
// again with the new role.
export function RoleForm({ account, onChanged }: { account: CustomerAccount; onChanged: () => void }) {
  const [role, setChosen] = useState<Role>(account.role);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<Role | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      await setRole(account.id, role);
      setSaved(role);
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const roleError = fieldError(error, 'role');
  return (
    <form className="role-form" onSubmit={submit} noValidate aria-label="Роль пользователя">
      <div className="row">
        <Field label="Роль" id="role" error={roleError}>
          <select
            id="role"
            value={role}
            onChange={(e) => {
              setChosen(e.target.value as Role);
              setSaved(null);
            }}
            {...describedBy('role', roleError)}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </select>
        </Field>
        <div className="field">
          <button type="submit" disabled={busy || role === account.role}>
            {busy ? 'Сохраняем…' : 'Сохранить роль'}
          </button>
        </div>
      </div>
      <ErrorMessage error={roleError ? null : error} />
      {saved && (
        <p className="success" role="status">
          Роль изменена: {ROLE_LABEL[saved]}. Сеансы пользователя завершены — он войдёт заново с новой ролью.
        </p>
      )}
    </form>
  );
}
