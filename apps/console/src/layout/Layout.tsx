import type { MouseEvent } from 'react';
import { NavLink, Outlet } from 'react-router';
import { can } from '../session/capabilities';
import { useSession } from '../session/session';

/**
 * The frame of every signed-in page: a "Skip to content" link (the first tab stop, shown when
 * focused), the areas the role may use, who is signed in, sign out. On a phone the bar wraps: the
 * areas go on a line of their own.
 */
export function Layout() {
  const { principal, signOut } = useSession();
  const role = principal?.role;
  return (
    <div className="layout">
      <a className="skip-link" href="#content" onClick={skipToContent}>
        Skip to content
      </a>
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
      <main className="content" id="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

/** Moves the focus to the page's content (the router would otherwise treat `#content` as navigation). */
function skipToContent(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById('content')?.focus();
}
