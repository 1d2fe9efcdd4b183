import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { can, type Capability } from './capabilities';
import { useSession } from './session';

/** Signed-out visitors go to sign-in (and come back after); a role without the capability sees why. */
export function RequireRole({ capability, children }: { capability: Capability; children: ReactNode }) {
  const { principal } = useSession();
  const location = useLocation();
  if (!principal) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  if (!can(principal.role, capability)) {
    return (
      <section className="card">
        <h1>Not available to your role</h1>
        <p>
          The key “{principal.name}” has role <strong>{principal.role}</strong>, which cannot use {capability}.
        </p>
      </section>
    );
  }
  return <>{children}</>;
}
