import { useState, type FormEvent } from 'react';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage, errorText } from '@/components/ui/error-message';
import { fieldError } from '@/lib/api-client';
import type { CustomerAccount, Role } from '@/types/api';
import { assignTheatre } from '../api/assign-theatre';
import { setRole } from '../api/set-role';
import { ROLE_LABEL, ROLES } from '../labels';

export const THEATRE_MISSING = 'Укажите театр так, как он записан в каталоге';
const THEATRE_HINT = 'Как в каталоге, например «Театр на Таганке»';

// What was saved: the new role (when it changed) and the theatre assigned to a theatre staff account.
type Saved = { role: Role | null; theatre: string | null };

// «Роль» on the customer card, for admins (never on their own account): the user's sessions end, and they sign in
// again with the new role. «Сотрудник театра» (ADR 0028) also asks for the theatre: after the role is saved, the
// account is assigned to it (PUT /admin/theatre-staff/:id); for an account that is theatre staff already, only the
// theatre is saved.
export function RoleForm({ account, onChanged }: { account: CustomerAccount; onChanged: () => void }) {
  const [role, setChosen] = useState<Role>(account.role);
  const [theatre, setTheatre] = useState('');
  const [theatreProblem, setTheatreProblem] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [assignError, setAssignError] = useState<unknown>(null);
  const [saved, setSaved] = useState<Saved | null>(null);
  const [busy, setBusy] = useState(false);

  const theatreStaff = role === 'theatre_staff';
  const roleChanges = role !== account.role;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = theatre.trim();
    if (theatreStaff && !name) {
      setTheatreProblem(THEATRE_MISSING);
      return;
    }
    setTheatreProblem(undefined);
    setBusy(true);
    setError(null);
    setAssignError(null);
    setSaved(null);
    try {
      if (roleChanges) {
        try {
          await setRole(account.id, role);
        } catch (err) {
          setError(err);
          return;
        }
      }
      let assigned: string | null = null;
      if (theatreStaff) {
        try {
          assigned = (await assignTheatre(account.id, name)).theatre || name;
        } catch (err) {
          setAssignError(err);
        }
      }
      if (roleChanges || assigned) setSaved({ role: roleChanges ? role : null, theatre: assigned });
      if (roleChanges) onChanged();
    } finally {
      setBusy(false);
    }
  };

  const roleError = fieldError(error, 'role');
  const theatreError = theatreProblem ?? fieldError(assignError, 'theatre');
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
              setError(null);
              setAssignError(null);
              setTheatreProblem(undefined);
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
        {theatreStaff && (
          <Field label="Театр" id="role-theatre" error={theatreError} hint={THEATRE_HINT}>
            <input
              id="role-theatre"
              value={theatre}
              onChange={(e) => {
                setTheatre(e.target.value);
                setSaved(null);
                setTheatreProblem(undefined);
                setAssignError(null);
              }}
              maxLength={200}
              required
              {...describedBy('role-theatre', theatreError, THEATRE_HINT)}
            />
          </Field>
        )}
        <div className="field">
          <button type="submit" disabled={busy || (!roleChanges && !theatreStaff)}>
            {busy ? 'Сохраняем…' : !roleChanges && theatreStaff ? 'Сохранить театр' : 'Сохранить роль'}
          </button>
        </div>
      </div>
      <ErrorMessage error={roleError ? null : error} />
      {assignError !== null && !theatreError && (
        <div className="alert alert-error" role="alert">
          <span>Театр не назначен: {errorText(assignError)}</span>
        </div>
      )}
      {saved && (
        <p className="success" role="status">
          {saved.role
            ? `Роль изменена: ${ROLE_LABEL[saved.role]}${saved.theatre ? `, театр «${saved.theatre}»` : ''}. Сеансы пользователя завершены — он войдёт заново с новой ролью.`
            : `Театр назначен: «${saved.theatre}».`}
        </p>
      )}
    </form>
  );
}
