import { NavLink, Outlet } from 'react-router';
import { can } from '../session/capabilities';
import { useSession } from '../session/session';

/** The frame of every signed-in page: the areas the role may use, who is signed in, sign out. */
export function Layout() {
  const { principal, signOut } = useSession();
  const role = principal?.role;
  return (
    <div className="layout">
      <header className="topbar">
        <span className="brand">Ledgerline</span>
        <nav aria-label="Main">
          {can(role, 'customers') ? <NavLink to="/customers">Customers</NavLink> : null}
          {can(role, 'subscriptions') ? <NavLink to="/subscriptions">Subscriptions</NavLink> : null}
          {can(role, 'reconciliation') ? <NavLink to="/reconciliation">Reconciliation</NavLink> : null}
          {can(role, 'operations') ? <NavLink to="/operations">Operations</NavLink> : null}
        </nav>
        {principal ? (
          <span className="who">
            <span data-testid="principal">
              {principal.name} <span className="badge">{principal.role}</span>
            </span>
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </span>
        ) : null}
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
